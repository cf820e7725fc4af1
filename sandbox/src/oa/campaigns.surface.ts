/**
 * The official account's push channels as a campaign meets them (WECHAT-MARKETING.md §3–4):
 * `message/template/send` with its daily quota (45009, reset at China midnight on the
 * sandbox's time-scaled day), `client_msg_id` de-duplication and the TEMPLATESENDJOBFINISH
 * receipt pushed to the merchant with WeChat's retries; `message/mass/sendall` (by tag or to
 * all), `message/mass/send` (an openid list, 2..10,000) and `message/mass/preview`, with the
 * four-mass-sends-a-month filter and MASSSENDJOBFINISH counts. Subscribe messages
 * (miniprogram.surface.ts) and customer-service messages (oa.surface.ts) are played there.
 *
 * It also holds many followers at once (bulk creation for tests and the bench, kept in
 * memory, not in the surface's JSON file), what each of them received (their inbox), 5xx and
 * timeout injection, and a fast accept path that only counts (the bench's raw accept rate).
 *
 * It is listed before the official account in surfaces.ts, so its routes answer these paths.
 */
import type Koa from 'koa';
import type Router from 'koa-router';
import type { SandboxContext, Surface } from '../surface';
import { answerSimulation, errmsgs, platformFor, readBody, WechatFault } from '../platform/platform';
import { officialAccountSim, type InboxItem } from './oa.surface';
import type { PushFields } from './push';

/** A follower made in bulk: what the send APIs need to know of them. */
interface BulkFollower {
  tags: number[];
  subscribeTime: number;
  /** `YYYY-MM` (China time) → mass messages received that month. */
  mass: Record<string, number>;
}

export interface CampaignSettings {
  /** Accept template sends without looking at the follower, the template or the inbox: count only. */
  fastAccept: boolean;
  /** Push TEMPLATESENDJOBFINISH / MASSSENDJOBFINISH to the merchant. */
  receipts: boolean;
  /** Length of the sandbox's day in ms (quotas reset at its China midnight); 24 h / timeScale by default. */
  dayMs: number;
  /** How long a "timeout" fault holds the answer. */
  timeoutMs: number;
}

interface HttpFault {
  kind: '5xx' | 'timeout';
  times: number;
}

// Codes only these APIs answer with (WECHAT-MARKETING.md §4).
Object.assign(errmsgs, {
  40130: 'invalid openid list size, at least two openid',
  45065: 'clientmsgid exist',
  45067: 'clientmsgid size out of limit',
});

const DAY_MS = 86_400_000;
const CLIENT_MSG_ID_MS = 10 * 60_000;
const seconds = () => Math.floor(Date.now() / 1000);
/** The calendar month in China time: WeChat's "4 a month" is the natural month there. */
export const chinaMonth = (at = Date.now()) => new Date(at + 8 * 3600_000).toISOString().slice(0, 7);

export function campaignSendsSurface(ctx: SandboxContext): Surface {
  const p = platformFor(ctx);
  const oa = officialAccountSim(ctx);
  const app = p.apps.oa;
  const bulk = new Map<string, BulkFollower>();
  const bulkInbox = new Map<string, InboxItem[]>();
  const clientMsgIds = new Map<string, { msgid: number; at: number }>();
  const massClientIds = new Map<string, number>();
  const blocked = new Set<string>();
  const faults = new Map<string, HttpFault>();
  const extraTemplates = new Set<string>(['TPL_CAMPAIGN_NOTICE']);
  const settings: CampaignSettings = {
    fastAccept: false,
    receipts: true,
    dayMs: DAY_MS / ctx.timeScale,
    timeoutMs: 15_000,
  };
  /** Counters since the last reset; first/last accept times (epoch ms) give a load's rate. */
  const fresh = () => ({
    accepted: 0,
    fastAccepted: 0,
    refused: 0,
    massJobs: 0,
    receiptsPushed: 0,
    firstAcceptedAt: 0,
    lastAcceptedAt: 0,
  });
  const stats = fresh();
  const acceptedOne = () => {
    stats.accepted++;
    stats.lastAcceptedAt = Date.now();
    if (!stats.firstAcceptedAt) stats.firstAcceptedAt = stats.lastAcceptedAt;
  };
  const quota = { day: -1, used: 0 };
  let nextMsgId = 300_000_000_001;

  /** Day number of the sandbox's China-time day (midnight in China is 16:00 UTC: a third of a day earlier). */
  const dayIndex = () => Math.floor((Date.now() + settings.dayMs / 3) / settings.dayMs);
  const useTemplateQuota = () => {
    const day = dayIndex();
    if (quota.day !== day) Object.assign(quota, { day, used: 0 });
    if (quota.used >= p.faults.templateDailyQuota) throw new WechatFault(45009);
    quota.used++;
  };

  const subscribedFollower = (openid: string) => {
    const b = bulk.get(openid);
    if (b) return { openid, tags: b.tags, mass: b.mass };
    const f = oa.store.state.followers[openid];
    if (!f) throw new WechatFault(40003);
    if (!f.subscribed) throw new WechatFault(43004);
    return { openid, tags: f.tags, mass: f.massThisMonth };
  };
  const deliver = (openid: string, via: InboxItem['via'], content: string) => {
    if (!bulk.has(openid)) return oa.deliver(openid, via, content);
    const list = bulkInbox.get(openid) ?? [];
    list.push({ at: new Date().toISOString(), via, content });
    bulkInbox.set(openid, list);
  };

  // Receipts leave a few at a time, as WeChat's pushes do, each with its retries (push.ts).
  const receipts: PushFields[] = [];
  let pushing = 0;
  const pumpReceipts = () => {
    while (pushing < 4 && receipts.length) {
      const fields = receipts.shift()!;
      pushing++;
      void oa
        .push(fields)
        .catch((err: unknown) => ctx.log.warn({ err }, 'receipt push failed'))
        .finally(() => {
          pushing--;
          stats.receiptsPushed++;
          pumpReceipts();
        });
    }
  };
  const receipt = (fields: PushFields) => {
    if (!settings.receipts) return;
    receipts.push({ CreateTime: seconds(), MsgType: 'event', ...fields });
    setImmediate(pumpReceipts);
  };

  const contentOf = (type: string, part: Record<string, unknown>) =>
    type === 'text' ? String(part.content) : `[${type}] ${String(part.media_id ?? JSON.stringify(part))}`;

  /** One mass job: the four-a-month filter per follower, then the inbox, then MASSSENDJOBFINISH. */
  const massSend = (targets: { openid: string; mass: Record<string, number> }[], type: string, part: object) => {
    const month = chinaMonth();
    let sent = 0;
    for (const f of targets) {
      if ((f.mass[month] ?? 0) >= 4) continue; // filtered: counted out of FilterCount, no error
      f.mass[month] = (f.mass[month] ?? 0) + 1;
      deliver(f.openid, 'mass', contentOf(type, part as Record<string, unknown>));
      sent++;
    }
    oa.store.changed();
    const id = nextMsgId++;
    stats.massJobs++;
    receipt({
      FromUserName: 'o_sandbox_admin',
      Event: 'MASSSENDJOBFINISH',
      MsgID: id,
      Status: 'send success',
      TotalCount: targets.length,
      FilterCount: sent,
      SentCount: sent,
      ErrorCount: 0,
    });
    return id;
  };
  const massBody = (b: Record<string, unknown>) => {
    const type = String(b.msgtype ?? '');
    const part = b[type] as Record<string, unknown> | undefined;
    if (!['text', 'mpnews', 'image', 'voice', 'mpvideo', 'wxcard'].includes(type) || !part) {
      throw new WechatFault(47003);
    }
    const clientmsgid = b.clientmsgid === undefined ? undefined : String(b.clientmsgid);
    if (clientmsgid !== undefined && Buffer.byteLength(clientmsgid) > 64) throw new WechatFault(45067);
    return { type, part, clientmsgid };
  };
  /** 45065 with the existing msg_id: a send with this clientmsgid was already made. */
  const existingMass = (clientmsgid: string | undefined) => {
    const existing = clientmsgid === undefined ? undefined : massClientIds.get(clientmsgid);
    if (existing !== undefined) throw Object.assign(new WechatFault(45065), { extra: { msg_id: existing } });
  };

  return {
    name: 'official-account-campaigns',
    mount(router: Router) {
      const api = (route: string, fn: (c: Koa.Context, body: Record<string, unknown>) => unknown) => {
        const wrapped = p.route(route, async (c: Koa.Context) => {
          if (p.appOfToken(c.query.access_token as string | undefined) !== app.appId) throw new WechatFault(48001);
          try {
            return await fn(c, await readBody(c));
          } catch (err) {
            if (err instanceof WechatFault) stats.refused++;
            const extra = (err as { extra?: object }).extra;
            if (err instanceof WechatFault && extra) {
              // WeChat answers some refusals with data (45065 carries the existing msg_id).
              return { errcode: err.errcode, errmsg: err.message, ...extra };
            }
            throw err;
          }
        });
        router.post(route, async (c: Koa.Context, next: Koa.Next) => {
          const fault = faults.get(route);
          if (fault && fault.times !== 0) {
            fault.times = fault.times > 0 ? fault.times - 1 : -1;
            if (fault.kind === 'timeout') await new Promise((r) => setTimeout(r, settings.timeoutMs));
            c.status = fault.kind === 'timeout' ? 504 : 502;
            c.body = fault.kind === 'timeout' ? 'Gateway Timeout' : 'Bad Gateway';
            return;
          }
          return wrapped(c, next);
        });
      };

      api('/cgi-bin/message/template/send', (_c, b) => {
        if (settings.fastAccept) {
          stats.fastAccepted++;
          return { msgid: nextMsgId++ };
        }
        const f = subscribedFollower(String(b.touser ?? ''));
        const templateId = String(b.template_id ?? '');
        if (!oa.store.state.templates.includes(templateId) && !extraTemplates.has(templateId)) {
          throw new WechatFault(40037);
        }
        const data = b.data as Record<string, { value?: unknown }> | undefined;
        if (!data || typeof data !== 'object') throw new WechatFault(47003);
        for (const v of Object.values(data)) if (typeof v?.value !== 'string') throw new WechatFault(47003);
        // Same openid + client_msg_id within 10 minutes: one message (the first send's msgid again).
        const key = b.client_msg_id === undefined ? undefined : `${f.openid}|${String(b.client_msg_id)}`;
        const seen = key === undefined ? undefined : clientMsgIds.get(key);
        if (seen && Date.now() - seen.at < CLIENT_MSG_ID_MS) return { msgid: seen.msgid };
        useTemplateQuota();
        const msgid = nextMsgId++;
        if (key !== undefined) clientMsgIds.set(key, { msgid, at: Date.now() });
        acceptedOne();
        // The platform shows a field in at most 20 characters, without first/remark (2023 rules).
        const shown = Object.entries(data)
          .filter(([k]) => k !== 'first' && k !== 'remark')
          .map(([k, v]) => `${k}: ${String(v.value).slice(0, 20)}`);
        const mp = b.miniprogram as { pagepath?: unknown } | undefined;
        const link = mp?.pagepath ? `\n→ ${String(mp.pagepath)}` : b.url ? `\n→ ${String(b.url)}` : '';
        deliver(f.openid, 'template', shown.join('\n') + link);
        receipt({
          FromUserName: f.openid,
          Event: 'TEMPLATESENDJOBFINISH',
          MsgID: msgid,
          Status: blocked.has(f.openid) ? 'failed:user block' : 'success',
        });
        return { msgid };
      });

      api('/cgi-bin/message/mass/sendall', (_c, b) => {
        const filter = (b.filter ?? {}) as { is_to_all?: boolean; tag_id?: number };
        if (!filter.is_to_all && !oa.store.state.tags[String(filter.tag_id)]) throw new WechatFault(40050);
        const { type, part, clientmsgid } = massBody(b);
        existingMass(clientmsgid);
        const wanted = (tags: number[]) => filter.is_to_all === true || tags.includes(Number(filter.tag_id));
        const targets = [
          ...Object.values(oa.store.state.followers)
            .filter((f) => f.subscribed && wanted(f.tags))
            .map((f) => ({ openid: f.openid, mass: f.massThisMonth })),
          ...[...bulk].filter(([, f]) => wanted(f.tags)).map(([openid, f]) => ({ openid, mass: f.mass })),
        ];
        const id = massSend(targets, type, part);
        if (clientmsgid !== undefined) massClientIds.set(clientmsgid, id);
        return { msg_id: id, msg_data_id: id };
      });

      api('/cgi-bin/message/mass/send', (_c, b) => {
        const touser = b.touser as unknown;
        if (!Array.isArray(touser) || touser.length < 2 || touser.length > 10_000) throw new WechatFault(40130);
        const { type, part, clientmsgid } = massBody(b);
        existingMass(clientmsgid);
        // Openids that do not follow are filtered like WeChat does (they count in TotalCount only).
        const targets = touser.flatMap((openid) => {
          try {
            const f = subscribedFollower(String(openid));
            return [{ openid: f.openid, mass: f.mass }];
          } catch {
            return [];
          }
        });
        const id = massSend(targets, type, part);
        if (clientmsgid !== undefined) massClientIds.set(clientmsgid, id);
        return { msg_id: id, msg_data_id: id };
      });

      /** A preview to one follower: not a mass send (no monthly count, no receipt). */
      api('/cgi-bin/message/mass/preview', (_c, b) => {
        const f = subscribedFollower(String(b.touser ?? ''));
        const { type, part } = massBody(b);
        deliver(f.openid, 'mass', `[预览 preview] ${contentOf(type, part)}`);
        return { msg_id: nextMsgId++ };
      });

      // ---- the test and bench side -----------------------------------------------------
      /** `count` followers `<prefix><n>` (n zero-padded to 7 digits), following now, with tags. */
      router.post('/sandbox/oa/followers/bulk', async (c: Koa.Context) => {
        const b = await readBody(c);
        const prefix = String(b.prefix ?? 'o_bulk_');
        const count = Number(b.count ?? 0);
        const from = Number(b.from ?? 0);
        const tags = Array.isArray(b.tags) ? (b.tags as unknown[]).map(Number) : [];
        if (!/^[\w-]{1,40}$/.test(prefix) || !Number.isInteger(count) || count < 0 || count > 2_000_000) {
          answerSimulation(c, { error: 'prefix: letters, digits, _ and -; count: 0..2,000,000' }, { status: 400 });
          return;
        }
        for (const t of tags)
          if (!oa.store.state.tags[String(t)]) oa.store.update((s) => (s.tags[String(t)] = `tag${t}`));
        const now = seconds();
        for (let i = from; i < from + count; i++) {
          bulk.set(`${prefix}${String(i).padStart(7, '0')}`, { tags: [...tags], subscribeTime: now, mass: {} });
        }
        answerSimulation(c, { created: count, bulkFollowers: bulk.size });
      });
      router.post('/sandbox/oa/followers/bulk/clear', (c: Koa.Context) => {
        bulk.clear();
        bulkInbox.clear();
        c.body = { bulkFollowers: 0 };
      });
      /** What one follower received (bulk or simulated). */
      router.get('/sandbox/oa/campaigns/inbox/:openid', (c: Koa.Context) => {
        const openid = c.params.openid;
        c.body = { openid, messages: bulkInbox.get(openid) ?? oa.store.state.inbox[openid] ?? [] };
      });
      /**
       * Every follower whose openid starts with `prefix`: how many received something, how
       * many messages in all (by channel), and who received more than one of a channel.
       */
      router.get('/sandbox/oa/campaigns/received', (c: Koa.Context) => {
        const prefix = String(c.query.prefix ?? '');
        const via = c.query.via ? String(c.query.via) : undefined;
        const all = [...bulkInbox, ...Object.entries(oa.store.state.inbox)].filter(([id]) => id.startsWith(prefix));
        let messages = 0;
        let recipients = 0;
        const more: string[] = [];
        for (const [id, items] of all) {
          const n = via ? items.filter((m) => m.via === via).length : items.length;
          messages += n;
          if (n > 0) recipients++;
          if (n > 1) more.push(id);
        }
        c.body = { recipients, messages, moreThanOnce: more.length, examples: more.slice(0, 10) };
      });
      router.get('/sandbox/oa/campaigns/stats', (c: Koa.Context) => {
        c.body = {
          ...stats,
          quota: { ...quota, limit: p.faults.templateDailyQuota },
          settings,
          pending: receipts.length,
        };
      });
      router.post('/sandbox/oa/campaigns/settings', async (c: Koa.Context) => {
        const b = await readBody(c);
        if (b.fastAccept !== undefined) settings.fastAccept = b.fastAccept === true || b.fastAccept === 'true';
        if (b.receipts !== undefined) settings.receipts = b.receipts === true || b.receipts === 'true';
        if (b.dayMs !== undefined && Number(b.dayMs) > 0) settings.dayMs = Number(b.dayMs);
        if (b.timeoutMs !== undefined && Number(b.timeoutMs) >= 0) settings.timeoutMs = Number(b.timeoutMs);
        if (typeof b.addTemplate === 'string') extraTemplates.add(b.addTemplate);
        if (b.resetStats)
          Object.assign(stats, fresh());
        answerSimulation(c, { settings });
      });
      /** 5xx or a held answer (timeout) for the next `times` calls of a send path (-1: until cleared). */
      router.post('/sandbox/oa/campaigns/faults', async (c: Koa.Context) => {
        const b = await readBody(c);
        const path = String(b.path ?? '');
        if (b.clear) faults.clear();
        else if (b.kind === '5xx' || b.kind === 'timeout')
          faults.set(path, { kind: b.kind, times: Number(b.times ?? 1) });
        answerSimulation(c, { faults: Object.fromEntries(faults) });
      });
      /** The user blocks the account's messages: their template receipts say `failed:user block`. */
      router.post('/sandbox/oa/campaigns/users/:openid/block', (c: Koa.Context) => {
        blocked.add(c.params.openid);
        c.body = { blocked: true };
      });
    },
    close() {
      receipts.length = 0;
    },
  };
}
