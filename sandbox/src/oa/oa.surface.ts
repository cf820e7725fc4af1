/**
 * The official account: its APIs (messages, tags, users, QR codes, menu), its pushes to the
 * merchant, and the simulated followers who follow, scan, talk and click.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type Koa from 'koa';
import type Router from 'koa-router';
import { escapeHtml } from '../html';
import { JsonStore } from '../store';
import type { SandboxContext, Surface } from '../surface';
import { answerSimulation, platformFor, readBody, WechatFault } from '../platform/platform';
import { pushToMerchant, type PushFields, type PushMode, type PushRecord } from './push';

interface Follower {
  openid: string;
  subscribed: boolean;
  subscribeTime: number;
  tags: number[];
  /** Last time the user wrote, clicked or followed: opens the 48-hour window. */
  lastInteraction: number;
  qrScene?: string;
  /** Mass sends received this month (WeChat allows 4). */
  massThisMonth: Record<string, number>;
}
interface InboxItem {
  at: string;
  via: 'reply' | 'customer' | 'template' | 'mass' | 'subscribe-message' | 'notice';
  content: string;
}
interface QrTicket {
  action: string;
  scene: string;
  expiresAt: number | null;
}
export interface OaState {
  mode: PushMode;
  followers: Record<string, Follower>;
  tags: Record<string, string>;
  nextTagId: number;
  qr: Record<string, QrTicket>;
  menu: unknown[] | null;
  inbox: Record<string, InboxItem[]>;
  templates: string[];
  /** Mini-program subscribe-message consent: openid → template ids (one use each). */
  consent: Record<string, string[]>;
  deliveries: PushRecord[];
  nextMsgId: number;
}

const MONTH = () => new Date().toISOString().slice(0, 7);
const seconds = () => Math.floor(Date.now() / 1000);

export interface OfficialAccountSim {
  store: JsonStore<OaState>;
  push(fields: PushFields): Promise<PushRecord>;
  deliver(openid: string, via: InboxItem['via'], content: string): void;
  follower(openid: string): Follower;
}

const sims = new WeakMap<SandboxContext, OfficialAccountSim>();
export function officialAccountSim(ctx: SandboxContext): OfficialAccountSim {
  let sim = sims.get(ctx);
  if (sim) return sim;
  const p = platformFor(ctx);
  const app = p.apps.oa;
  const store = new JsonStore<OaState>(path.join(ctx.stateDir, 'official-account.json'), () => ({
    mode: 'safe',
    followers: {},
    tags: { '2': '星标组' },
    nextTagId: 100,
    qr: {},
    menu: null,
    inbox: {},
    templates: ['TPL_ORDER_SHIPPED', 'TPL_ORDER_PAID', 'TPL_POINTS_CHANGED'],
    consent: {},
    deliveries: [],
    nextMsgId: 200_000_001,
  }));
  const deliver = (openid: string, via: InboxItem['via'], content: string) =>
    store.update((s) => (s.inbox[openid] ??= []).push({ at: new Date().toISOString(), via, content }));
  sim = {
    store,
    deliver,
    follower(openid) {
      return store.update((s) => {
        s.followers[openid] ??= {
          openid,
          subscribed: false,
          subscribeTime: 0,
          tags: [],
          lastInteraction: 0,
          massThisMonth: {},
        };
        return s.followers[openid];
      });
    },
    async push(fields) {
      const full = { ToUserName: app.originalId, ...fields };
      const times = p.faults.duplicatePushes ? 2 : 1;
      let record!: PushRecord;
      for (let i = 0; i < times; i++) {
        record = await pushToMerchant(app, ctx.merchantBaseUrl + app.pushPath, store.state.mode, full);
        store.update((s) => {
          s.deliveries.unshift(record);
          s.deliveries.length = Math.min(s.deliveries.length, 50);
        });
        if (record.reply.kind !== 'none' && record.reply.content !== undefined) {
          deliver(
            String(fields.FromUserName),
            record.reply.kind === 'unavailable' ? 'notice' : 'reply',
            record.reply.content,
          );
        }
      }
      return record;
    },
  };
  sims.set(ctx, sim);
  return sim;
}

export function officialAccountSurface(ctx: SandboxContext): Surface {
  const p = platformFor(ctx);
  const sim = officialAccountSim(ctx);
  const { store } = sim;
  const app = p.apps.oa;
  const tokenApp = (c: Koa.Context) => {
    const appId = p.appOfToken(c.query.access_token as string | undefined);
    if (appId !== app.appId) throw new WechatFault(48001);
  };
  const following = (openid: unknown): Follower => {
    const f = store.state.followers[String(openid)];
    if (!f) throw new WechatFault(40003);
    if (!f.subscribed) throw new WechatFault(43004);
    return f;
  };
  const later = (fn: () => Promise<unknown>) => {
    setTimeout(() => void fn().catch((err: unknown) => ctx.log.warn({ err }, 'push failed')), 20).unref();
  };
  const msgId = () => store.update((s) => s.nextMsgId++);

  return {
    name: 'official-account',
    mount(router: Router) {
      const api = (
        verb: 'get' | 'post',
        route: string,
        fn: (c: Koa.Context, body: Record<string, unknown>) => unknown,
      ) =>
        router[verb](
          route,
          p.route(route, async (c: Koa.Context) => {
            tokenApp(c);
            return fn(c, verb === 'post' ? await readBody(c) : {});
          }),
        );

      api('post', '/cgi-bin/message/template/send', (_c, b) => {
        const f = following(b.touser);
        if (!store.state.templates.includes(String(b.template_id))) throw new WechatFault(40037);
        const data = b.data as Record<string, { value?: unknown }> | undefined;
        if (!data || typeof data !== 'object') throw new WechatFault(47003);
        for (const v of Object.values(data)) {
          if (typeof v?.value !== 'string' || v.value.length > 200) throw new WechatFault(47003);
        }
        p.countDaily(app.appId, 'template', p.faults.templateDailyQuota);
        const id = msgId();
        sim.deliver(
          f.openid,
          'template',
          Object.entries(data)
            .map(([k, v]) => `${k}: ${v.value}`)
            .join('\n'),
        );
        later(() =>
          sim.push({
            FromUserName: f.openid,
            CreateTime: seconds(),
            MsgType: 'event',
            Event: 'TEMPLATESENDJOBFINISH',
            MsgID: id,
            Status: 'success',
          }),
        );
        return { msgid: id };
      });

      api('post', '/cgi-bin/message/custom/send', (_c, b) => {
        const f = following(b.touser);
        if (Date.now() - f.lastInteraction > 48 * 3600_000) throw new WechatFault(45015);
        const type = String(b.msgtype);
        const part = b[type] as Record<string, unknown> | undefined;
        if (!part) throw new WechatFault(47003);
        sim.deliver(f.openid, 'customer', type === 'text' ? String(part.content) : `[${type}] ${JSON.stringify(part)}`);
        return {};
      });

      api('post', '/cgi-bin/message/mass/sendall', (_c, b) => {
        const filter = (b.filter ?? {}) as { is_to_all?: boolean; tag_id?: number };
        if (!filter.is_to_all && !store.state.tags[String(filter.tag_id)]) throw new WechatFault(40050);
        const type = String(b.msgtype);
        const part = b[type] as Record<string, unknown> | undefined;
        if (!part) throw new WechatFault(47003);
        const targets = Object.values(store.state.followers).filter(
          (f) => f.subscribed && (filter.is_to_all || f.tags.includes(Number(filter.tag_id))),
        );
        let sent = 0;
        for (const f of targets) {
          if ((f.massThisMonth[MONTH()] ?? 0) >= 4) continue; // 4 mass sends per user per month
          store.update(() => (f.massThisMonth[MONTH()] = (f.massThisMonth[MONTH()] ?? 0) + 1));
          sim.deliver(f.openid, 'mass', type === 'text' ? String(part.content) : `[${type}] ${String(part.media_id)}`);
          sent++;
        }
        const id = msgId();
        later(() =>
          sim.push({
            FromUserName: 'o_sandbox_admin',
            CreateTime: seconds(),
            MsgType: 'event',
            Event: 'MASSSENDJOBFINISH',
            MsgID: id,
            Status: 'send success',
            TotalCount: targets.length,
            FilterCount: sent,
            SentCount: sent,
            ErrorCount: 0,
          }),
        );
        return { msg_id: id, msg_data_id: id };
      });

      api('post', '/cgi-bin/tags/create', (_c, b) => {
        const name = String((b.tag as { name?: string } | undefined)?.name ?? '');
        if (!name || name.length > 30) throw new WechatFault(45157);
        const id = store.update((s) => {
          const tagId = s.nextTagId++;
          s.tags[String(tagId)] = name;
          return tagId;
        });
        return { tag: { id, name } };
      });
      api('get', '/cgi-bin/tags/get', () => ({
        tags: Object.entries(store.state.tags).map(([id, name]) => ({
          id: Number(id),
          name,
          count: Object.values(store.state.followers).filter((f) => f.tags.includes(Number(id))).length,
        })),
      }));
      for (const [route, add] of [
        ['/cgi-bin/tags/members/batchtagging', true],
        ['/cgi-bin/tags/members/batchuntagging', false],
      ] as const) {
        api('post', route, (_c, b) => {
          const tagId = Number(b.tagid);
          if (!store.state.tags[String(tagId)]) throw new WechatFault(40050);
          const list = (b.openid_list as string[] | undefined) ?? [];
          if (!Array.isArray(list) || list.length > 50) throw new WechatFault(47003);
          for (const id of list) if (!store.state.followers[id]) throw new WechatFault(40003);
          store.update((s) => {
            for (const id of list) {
              const f = s.followers[id];
              f.tags = add ? [...new Set([...f.tags, tagId])] : f.tags.filter((t) => t !== tagId);
            }
          });
          return {};
        });
      }
      api('post', '/cgi-bin/tags/getidlist', (_c, b) => {
        const f = store.state.followers[String(b.openid)];
        if (!f) throw new WechatFault(40003);
        return { tagid_list: f.tags };
      });
      api('get', '/cgi-bin/user/info', (c) => {
        const f = store.state.followers[String(c.query.openid)];
        if (!f) throw new WechatFault(40003);
        if (!f.subscribed) return { subscribe: 0, openid: f.openid };
        const numeric = f.qrScene !== undefined && /^\d+$/.test(f.qrScene);
        return {
          subscribe: 1,
          openid: f.openid,
          language: 'zh_CN',
          subscribe_time: f.subscribeTime,
          remark: '',
          groupid: 0,
          tagid_list: f.tags,
          subscribe_scene: f.qrScene !== undefined ? 'ADD_SCENE_QR_CODE' : 'ADD_SCENE_SEARCH',
          qr_scene: numeric ? Number(f.qrScene) : 0,
          qr_scene_str: numeric ? '' : (f.qrScene ?? ''),
        };
      });
      api('get', '/cgi-bin/user/get', (c) => {
        const all = Object.values(store.state.followers)
          .filter((f) => f.subscribed)
          .map((f) => f.openid)
          .sort();
        const after = String(c.query.next_openid ?? '');
        const rest = after ? all.filter((id) => id > after) : all;
        const page = rest.slice(0, 10_000);
        return {
          total: all.length,
          count: page.length,
          data: page.length ? { openid: page } : undefined,
          next_openid: page.at(-1) ?? '',
        };
      });
      api('post', '/cgi-bin/qrcode/create', (_c, b) => {
        const action = String(b.action_name);
        const scene = ((b.action_info as { scene?: Record<string, unknown> } | undefined)?.scene ?? {}) as {
          scene_id?: number;
          scene_str?: string;
        };
        const permanent = action === 'QR_LIMIT_SCENE' || action === 'QR_LIMIT_STR_SCENE';
        const isStr = action === 'QR_STR_SCENE' || action === 'QR_LIMIT_STR_SCENE';
        if (!['QR_SCENE', 'QR_STR_SCENE', 'QR_LIMIT_SCENE', 'QR_LIMIT_STR_SCENE'].includes(action))
          throw new WechatFault(47003);
        const value = isStr ? scene.scene_str : scene.scene_id;
        if (isStr && !(typeof value === 'string' && value.length >= 1 && value.length <= 64))
          throw new WechatFault(47003);
        if (!isStr && !(Number.isInteger(value) && Number(value) > 0 && (!permanent || Number(value) <= 100_000))) {
          throw new WechatFault(47003);
        }
        const expire = permanent ? null : Math.min(Number(b.expire_seconds ?? 60) || 60, 2_592_000);
        const ticket = `gQ${randomBytes(24).toString('base64url')}`;
        store.update((s) => {
          s.qr[ticket] = {
            action,
            scene: String(value),
            expiresAt: expire === null ? null : Date.now() + expire * 1000,
          };
        });
        return {
          ticket,
          ...(expire === null ? {} : { expire_seconds: expire }),
          url: `${ctx.selfBaseUrl}/q/${ticket}`,
        };
      });
      api('post', '/cgi-bin/menu/create', (_c, b) => {
        const buttons = b.button as { sub_button?: unknown[] }[] | undefined;
        if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 3) throw new WechatFault(47003);
        if (buttons.some((x) => (x.sub_button?.length ?? 0) > 5)) throw new WechatFault(47003);
        store.update((s) => (s.menu = buttons));
        return {};
      });
      api('get', '/cgi-bin/menu/get', () => {
        if (!store.state.menu) throw new WechatFault(46003);
        return { menu: { button: store.state.menu } };
      });
      api('get', '/cgi-bin/menu/delete', () => {
        store.update((s) => (s.menu = null));
        return {};
      });

      // ---- simulated users -------------------------------------------------------------
      const sim$ = (route: string, fn: (openid: string, b: Record<string, unknown>) => Promise<unknown>) =>
        router.post(route, async (c: Koa.Context) => {
          const b = await readBody(c);
          const openid = String(c.params.openid ?? b.openid ?? '');
          if (!/^[\w-]{1,64}$/.test(openid)) {
            c.status = 400;
            c.body = { error: 'openid: letters, digits, _ and - only' };
            return;
          }
          answerSimulation(c, await fn(openid, b));
        });
      const touch = (openid: string) => store.update(() => (sim.follower(openid).lastInteraction = Date.now()));

      /** Follow, optionally by scanning a QR ticket: `subscribe` (+ qrscene_) or `SCAN` if already following. */
      const follow = async (openid: string, ticket?: string) => {
        const qr = ticket ? store.state.qr[ticket] : undefined;
        if (ticket && (!qr || (qr.expiresAt !== null && qr.expiresAt < Date.now())))
          return { error: 'unknown or expired QR ticket' };
        const f = sim.follower(openid);
        const already = f.subscribed;
        store.update(() => {
          if (!already) {
            f.subscribed = true;
            f.subscribeTime = seconds();
            f.qrScene = qr?.scene;
          }
          f.lastInteraction = Date.now();
        });
        const base = { FromUserName: openid, CreateTime: seconds(), MsgType: 'event' };
        const pushed = already
          ? qr
            ? await sim.push({ ...base, Event: 'SCAN', EventKey: qr.scene, Ticket: ticket! })
            : undefined
          : await sim.push({
              ...base,
              Event: 'subscribe',
              ...(qr ? { EventKey: `qrscene_${qr.scene}`, Ticket: ticket! } : {}),
            });
        return { pushed };
      };
      sim$('/sandbox/oa/users/:openid/follow', (openid, b) => follow(openid, b.ticket ? String(b.ticket) : undefined));
      sim$('/sandbox/oa/qrcodes/:ticket/scan', async (openid, b) => follow(openid, String(b.ticket ?? '')));
      router.post('/sandbox/oa/scan', async (c: Koa.Context) => {
        const b = await readBody(c);
        answerSimulation(c, await follow(String(b.openid), String(b.ticket)));
      });
      sim$('/sandbox/oa/users/:openid/unfollow', async (openid) => {
        store.update(() => (sim.follower(openid).subscribed = false));
        return {
          pushed: await sim.push({
            FromUserName: openid,
            CreateTime: seconds(),
            MsgType: 'event',
            Event: 'unsubscribe',
          }),
        };
      });
      sim$('/sandbox/oa/users/:openid/text', async (openid, b) => {
        touch(openid);
        return {
          pushed: await sim.push({
            FromUserName: openid,
            CreateTime: seconds(),
            MsgType: 'text',
            Content: String(b.content ?? ''),
            MsgId: msgId(),
          }),
        };
      });
      sim$('/sandbox/oa/users/:openid/click', async (openid, b) => {
        touch(openid);
        return {
          pushed: await sim.push({
            FromUserName: openid,
            CreateTime: seconds(),
            MsgType: 'event',
            Event: 'CLICK',
            EventKey: String(b.key ?? ''),
          }),
        };
      });
      router.get('/sandbox/oa/users/:openid/inbox', (c: Koa.Context) => {
        c.body = { openid: c.params.openid, messages: store.state.inbox[c.params.openid] ?? [] };
      });
      router.get('/sandbox/oa/followers', (c: Koa.Context) => {
        c.body = { followers: Object.values(store.state.followers) };
      });
      router.get('/sandbox/oa/deliveries', (c: Koa.Context) => {
        c.body = { deliveries: store.state.deliveries };
      });
      router.post('/sandbox/oa/mode', async (c: Koa.Context) => {
        const b = await readBody(c);
        if (!['plain', 'compat', 'safe'].includes(String(b.mode))) {
          c.status = 400;
          c.body = { error: 'mode is plain, compat or safe' };
          return;
        }
        store.update((s) => (s.mode = b.mode as PushMode));
        answerSimulation(c, { mode: store.state.mode });
      });
    },
    console() {
      const s = store.state;
      const followers = Object.values(s.followers)
        .map(
          (f) =>
            `<tr><td><code>${escapeHtml(f.openid)}</code></td><td>${f.subscribed ? 'following' : 'not following'}</td><td>${escapeHtml(f.qrScene ?? '')}</td><td>${(
              s.inbox[f.openid] ?? []
            )
              .slice(-3)
              .map((m) => `${escapeHtml(m.via)}: ${escapeHtml(m.content)}`)
              .join('<br>')}</td></tr>`,
        )
        .join('');
      const tickets = Object.entries(s.qr)
        .slice(-5)
        .map(
          ([t, q]) =>
            `<li><code>${escapeHtml(t)}</code> → scene <b>${escapeHtml(q.scene)}</b> (${escapeHtml(q.action)})</li>`,
        )
        .join('');
      return {
        title: 'Official account: simulated followers',
        html: `<p>Push mode <b>${s.mode}</b> to <code>${escapeHtml(ctx.merchantBaseUrl + app.pushPath)}</code></p>
<form method="post" action="/sandbox/oa/mode"><select name="mode"><option>plain</option><option>compat</option><option selected>safe</option></select><button>Set push mode</button></form>
<form method="post" action="/sandbox/oa/users/o_console_user/follow">Follow as <code>o_console_user</code> with QR ticket (optional) <input name="ticket"><button>Follow / scan</button></form>
<form method="post" action="/sandbox/oa/users/o_console_user/text"><input name="content" placeholder="你好"><button>Send text</button></form>
<form method="post" action="/sandbox/oa/users/o_console_user/click"><input name="key" placeholder="menu key"><button>Click menu</button></form>
<form method="post" action="/sandbox/oa/users/o_console_user/unfollow"><button>Unfollow</button></form>
<p>Recent QR tickets:</p><ul>${tickets}</ul>
<table><tr><th>openid</th><th>state</th><th>QR scene</th><th>last messages received</th></tr>${followers}</table>
<p>Last pushes: ${s.deliveries
          .slice(0, 5)
          .map(
            (d) => `${escapeHtml(d.summary)} → ${escapeHtml(d.outcome)} ×${d.attempts} (${escapeHtml(d.reply.kind)})`,
          )
          .join('; ')}</p>`,
      };
    },
    close() {
      store.flush();
    },
  };
}
