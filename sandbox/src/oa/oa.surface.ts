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
import { answerSimulation, platformFor, readBody, SimulationError, WechatFault } from '../platform/platform';
import { menuButton, oaConsoleHtml } from './oa.console';
import { qrPng } from './qrcodes.surface';
import { pushToMerchant, type PushFields, type PushMode, type PushRecord } from './push';
import { menuFault } from './menu.surface';
import { SYSTEM_TAGS, TAGS_PER_ACCOUNT, TAGS_PER_USER, tagNameFault, userInfo } from './followers.surface';

export interface Follower {
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
export interface InboxItem {
  at: string;
  via: 'reply' | 'customer' | 'template' | 'mass' | 'subscribe-message' | 'notice';
  content: string;
}
export interface QrTicket {
  action: string;
  scene: string;
  expiresAt: number | null;
  /** Absent in state written before the console listed tickets. */
  createdAt?: number;
}
const QR_ACTIONS = ['QR_SCENE', 'QR_STR_SCENE', 'QR_LIMIT_SCENE', 'QR_LIMIT_STR_SCENE'];
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

  /**
   * `qrcode/create` (WECHAT-PROTOCOL.md §2): temporary codes (QR_SCENE, QR_STR_SCENE) live
   * expire_seconds (60 by default, 30 days at most); permanent ones (QR_LIMIT_*) do not
   * expire and take scene_id 1..100000. scene_str is 1–64 characters.
   */
  const createTicket = (b: Record<string, unknown>) => {
    const action = String(b.action_name);
    const scene = ((b.action_info as { scene?: Record<string, unknown> } | undefined)?.scene ?? {}) as {
      scene_id?: unknown;
      scene_str?: unknown;
    };
    if (!QR_ACTIONS.includes(action)) throw new WechatFault(47003);
    const permanent = action.startsWith('QR_LIMIT_');
    const isStr = action.endsWith('_STR_SCENE');
    const value = isStr ? scene.scene_str : scene.scene_id;
    if (isStr && !(typeof value === 'string' && value.length >= 1 && value.length <= 64)) {
      throw new WechatFault(47003);
    }
    // A temporary scene_id is a non-zero 32-bit integer; a permanent one 1..100000.
    const id = Number(value);
    if (!isStr && !(Number.isInteger(id) && id > 0 && id <= (permanent ? 100_000 : 0xffff_ffff))) {
      throw new WechatFault(47003);
    }
    const expire = permanent ? null : Math.min(Number(b.expire_seconds ?? 60) || 60, 2_592_000);
    const ticket = `gQ${randomBytes(24).toString('base64url')}`;
    const entry: QrTicket = {
      action,
      scene: String(value),
      expiresAt: expire === null ? null : Date.now() + expire * 1000,
      createdAt: Date.now(),
    };
    store.update((s) => (s.qr[ticket] = entry));
    return {
      ticket,
      expire_seconds: expire ?? undefined,
      url: `${ctx.selfBaseUrl}/q/${ticket}`,
      action_name: action,
      scene: entry.scene,
    };
  };
  /** The ticket if it exists and has not expired. */
  const liveTicket = (ticket: string): QrTicket | undefined => {
    const qr = Object.hasOwn(store.state.qr, ticket) ? store.state.qr[ticket] : undefined;
    return qr && (qr.expiresAt === null || qr.expiresAt > Date.now()) ? qr : undefined;
  };

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
        const fault = tagNameFault(name, Object.values(store.state.tags));
        if (fault) throw new WechatFault(fault);
        if (Object.keys(store.state.tags).filter((t) => !SYSTEM_TAGS.has(Number(t))).length >= TAGS_PER_ACCOUNT) {
          throw new WechatFault(45056);
        }
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
          if (!Object.hasOwn(store.state.tags, String(tagId))) throw new WechatFault(45159);
          const list = (b.openid_list as string[] | undefined) ?? [];
          if (!Array.isArray(list) || list.length > 50) throw new WechatFault(40032);
          for (const id of list) if (!Object.hasOwn(store.state.followers, id)) throw new WechatFault(40003);
          // A follower carries at most 20 tags (45059); nobody is tagged when one would pass it.
          if (
            add &&
            list.some(
              (id) =>
                !store.state.followers[id].tags.includes(tagId) &&
                store.state.followers[id].tags.length >= TAGS_PER_USER,
            )
          ) {
            throw new WechatFault(45059);
          }
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
        return userInfo(f, f.openid);
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
        const { ticket, expire_seconds, url } = createTicket(b);
        return { ticket, ...(expire_seconds === undefined ? {} : { expire_seconds }), url };
      });
      api('post', '/cgi-bin/menu/create', (_c, b) => {
        const buttons = b.button as unknown[];
        const fault = menuFault(buttons, p.apps.mp.appId);
        if (fault) throw new WechatFault(fault);
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
            answerSimulation(c, { error: 'openid: letters, digits, _ and - only' }, { status: 400 });
            return;
          }
          try {
            answerSimulation(c, await fn(openid, b), { openid });
          } catch (err) {
            if (!(err instanceof SimulationError)) throw err;
            answerSimulation(c, { error: err.message }, { status: err.status, openid });
          }
        });
      const touch = (openid: string) => store.update(() => (sim.follower(openid).lastInteraction = Date.now()));

      /** Follow, optionally by scanning a QR ticket: `subscribe` (+ qrscene_) or `SCAN` if already following. */
      const follow = async (openid: string, ticket?: string) => {
        const qr = ticket ? liveTicket(ticket) : undefined;
        // WeChat's client shows an expired or unknown code as invalid and pushes nothing.
        if (ticket && !qr) throw new SimulationError(404, '二维码不存在或已过期 unknown or expired QR ticket');
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
      sim$('/sandbox/oa/scan', async (openid, b) => follow(openid, String(b.ticket ?? '')));
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
      /**
       * The user taps a button of the published menu (`menu/create`), by position: "0" is
       * the first top-level button, "1.2" the third sub-button of the second. click → CLICK
       * with its key; view → VIEW with its URL; miniprogram → view_miniprogram with its page.
       */
      sim$('/sandbox/oa/users/:openid/menu', async (openid, b) => {
        const button = menuButton(store.state.menu, String(b.button ?? ''));
        if (!button) throw new SimulationError(404, '菜单里没有这个按钮 no such button in the published menu');
        touch(openid);
        const base = { FromUserName: openid, CreateTime: seconds(), MsgType: 'event' };
        const event =
          button.type === 'view'
            ? { Event: 'VIEW', EventKey: String(button.url ?? '') }
            : button.type === 'miniprogram'
              ? { Event: 'view_miniprogram', EventKey: String(button.pagepath ?? '') }
              : { Event: button.type === 'click' ? 'CLICK' : String(button.type), EventKey: String(button.key ?? '') };
        return { button: button.name, pushed: await sim.push({ ...base, ...event }) };
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
          answerSimulation(c, { error: 'mode is plain, compat or safe' }, { status: 400 });
          return;
        }
        store.update((s) => (s.mode = b.mode as PushMode));
        answerSimulation(c, { mode: store.state.mode });
      });

      // ---- scene QR codes from the console ---------------------------------------------
      /**
       * The console's "create a scene QR code": the same rules as `qrcode/create`, fields
       * flat as a form posts them (action_name, scene, expire_seconds).
       */
      router.post('/sandbox/oa/qrcodes', async (c: Koa.Context) => {
        const b = await readBody(c);
        const action = String(b.action_name ?? '');
        const scene = action.endsWith('_STR_SCENE') ? { scene_str: b.scene } : { scene_id: Number(b.scene) };
        try {
          const created = createTicket({
            action_name: action,
            action_info: { scene },
            expire_seconds: b.expire_seconds === '' ? undefined : b.expire_seconds,
          });
          answerSimulation(c, created, { openid: typeof b.openid === 'string' ? b.openid : undefined });
        } catch (err) {
          if (!(err instanceof WechatFault)) throw err;
          answerSimulation(c, { errcode: err.errcode, errmsg: err.message }, { status: 400 });
        }
      });
      router.get('/sandbox/oa/qrcodes', (c: Koa.Context) => {
        c.body = {
          tickets: Object.entries(store.state.qr).map(([ticket, q]) => ({ ticket, ...q, live: !!liveTicket(ticket) })),
        };
      });
      /**
       * The QR image. On WeChat it is `https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=…`
       * (WECHAT-PROTOCOL.md §2, "QR code" row). That file says nothing about a bad ticket;
       * WeChat's own page for it (developers.weixin.qq.com, 生成带参数的二维码 → 通过ticket换取
       * 二维码) says "ticket正确情况下，http 返回码是200，是一张图片 … 错误情况下（如ticket非法）
       * 返回HTTP错误码404", and a WeChat community answer of 2023-10-12 repeats it. So an
       * unknown or expired ticket is a 404 here. WeChat documents no body for it; the sandbox
       * sends WeChat's usual errcode/errmsg shape with 40097 "invalid args" (our choice, so a
       * developer reading it learns why). WeChat serves a 430-pixel JPEG of the code, which
       * holds the ticket's `url`; the sandbox serves a PNG of the same content, so a camera or a
       * QR reader in a test finds the URL that qrcode/create answered.
       */
      router.get('/cgi-bin/showqrcode', (c: Koa.Context) => {
        const ticket = String(c.query.ticket ?? '');
        const qr = liveTicket(ticket);
        if (!qr) {
          const fault = new WechatFault(40097);
          c.status = 404;
          c.type = 'application/json';
          c.body = { errcode: fault.errcode, errmsg: `${fault.message} rid: ${randomBytes(4).toString('hex')}` };
          return;
        }
        c.type = 'image/png';
        c.set('cache-control', 'max-age=604800');
        c.body = qrPng(`${ctx.selfBaseUrl}/q/${ticket}`, 430);
      });
      /** What the code's `url` opens: the sandbox's scan page for that ticket. */
      router.get('/q/:ticket', (c: Koa.Context) => {
        const qr = liveTicket(c.params.ticket);
        c.type = 'text/html; charset=utf-8';
        if (!qr) {
          c.status = 404;
          c.body = `<!doctype html><meta charset="utf-8"><p>二维码不存在或已过期 Unknown or expired QR ticket.</p><p><a href="/">控制台 Console</a></p>`;
          return;
        }
        c.body = `<!doctype html><meta charset="utf-8"><title>扫码 Scan</title>
<p>场景 Scene <b>${escapeHtml(qr.scene)}</b> (${escapeHtml(qr.action)})</p>
<p><a href="/#oa">在控制台里选一个用户扫码 Scan it as a user from the console</a></p>`;
      });
    },
    users() {
      return Object.values(store.state.followers).map((f) => ({
        openid: f.openid,
        roles: [
          f.subscribed
            ? '公众号粉丝 follower'
            : f.subscribeTime
              ? '已取消关注 unfollowed'
              : '未关注公众号 not following',
        ],
        lastSeen: Math.max(f.lastInteraction, f.subscribeTime * 1000),
      }));
    },
    console(view) {
      return {
        title: '公众号 Official account',
        id: 'oa',
        html: oaConsoleHtml(store.state, view.openid, ctx.merchantBaseUrl + app.pushPath, liveTicket),
      };
    },
    close() {
      store.flush();
    },
  };
}
