/**
 * The mini-program: single-use login codes, random 16-byte session keys, group-share payloads
 * in both shapes (getShareInfo → openGId, getGroupEnterInfo → opengid), subscribe messages.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type Koa from 'koa';
import type Router from 'koa-router';
import { escapeHtml } from '../html';
import { officialAccountSim } from '../oa/oa.surface';
import { mpEncrypt } from '../platform/crypto';
import { answerSimulation, platformFor, readBody, WechatFault } from '../platform/platform';
import { JsonStore } from '../store';
import type { SandboxContext, Surface } from '../surface';
import { groupChats, type GroupState } from './group-chats';
import { unionidOf } from '../oa/followers.surface';

interface MpState extends GroupState {
  codes: Record<string, { openid: string; used: boolean; issuedAt: number }>;
  sessionKeys: Record<string, string>;
  /** openid → epoch ms of the last wx.login (absent in state written before it was kept). */
  lastLogin?: Record<string, number>;
}

export function miniProgramSurface(ctx: SandboxContext): Surface {
  const p = platformFor(ctx);
  const oa = officialAccountSim(ctx);
  const app = p.apps.mp;
  const store = new JsonStore<MpState>(path.join(ctx.stateDir, 'mini-program.json'), () => ({
    codes: {},
    sessionKeys: {},
    lastLogin: {},
  }));
  const openidOk = (s: string) => /^[\w-]{1,64}$/.test(s);
  const chats = groupChats(store, app.appId, ctx.merchantBaseUrl);
  return {
    name: 'mini-program',
    mount(router: Router) {
      chats.mount(router);
      router.get(
        '/sns/jscode2session',
        p.route('/sns/jscode2session', (c: Koa.Context) => {
          p.checkCredentials(c.query.appid, c.query.secret);
          const entry = store.state.codes[String(c.query.js_code ?? '')];
          // A code lives 5 minutes and works once.
          if (!entry || Date.now() - entry.issuedAt > 5 * 60_000) throw new WechatFault(40029);
          if (entry.used) throw new WechatFault(40163);
          store.update(() => (entry.used = true));
          // The mini-program is bound to the merchant's open-platform account: WeChat adds the unionid.
          return {
            openid: entry.openid,
            session_key: store.state.sessionKeys[entry.openid],
            unionid: unionidOf(entry.openid),
          };
        }),
      );
      router.post(
        '/cgi-bin/message/subscribe/send',
        p.route('/cgi-bin/message/subscribe/send', async (c: Koa.Context) => {
          if (p.appOfToken(c.query.access_token as string | undefined) !== app.appId) throw new WechatFault(48001);
          const b = await readBody(c);
          const openid = String(b.touser ?? '');
          if (!store.state.sessionKeys[openid]) throw new WechatFault(40003);
          const data = b.data as Record<string, { value?: unknown }> | undefined;
          if (!data || Object.entries(data).some(([key, v]) => !keywordValueOk(key, v?.value))) {
            throw new WechatFault(47003);
          }
          const granted = oa.store.state.consent[openid] ?? [];
          const i = granted.indexOf(String(b.template_id));
          if (i < 0) throw new WechatFault(43101);
          oa.store.update((s) => s.consent[openid].splice(i, 1)); // one consent, one message
          oa.deliver(
            openid,
            'subscribe-message',
            Object.values(data)
              .map((v) => String(v.value))
              .join(' · '),
          );
          return { msgid: Date.now() };
        }),
      );
      /** The user opens the mini-program: wx.login() gives a fresh code; the session key rotates. */
      router.post('/sandbox/mp/users/:openid/login', (c: Koa.Context) => {
        const openid = c.params.openid;
        if (!openidOk(openid)) {
          answerSimulation(c, { error: 'openid: letters, digits, _ and - only' }, { status: 400 });
          return;
        }
        const code = randomBytes(16).toString('hex');
        store.update((s) => {
          s.codes[code] = { openid, used: false, issuedAt: Date.now() };
          s.sessionKeys[openid] = randomBytes(16).toString('base64');
          (s.lastLogin ??= {})[openid] = Date.now();
        });
        answerSimulation(c, { code });
      });
      /** The user opens a share card in a group: the encrypted payload the client would get. */
      router.post('/sandbox/mp/users/:openid/group-share', async (c: Koa.Context) => {
        const b = await readBody(c);
        const key = store.state.sessionKeys[c.params.openid];
        if (!key) {
          answerSimulation(
            c,
            { error: '先登录小程序 log in first (POST /sandbox/mp/users/:openid/login)' },
            { status: 409 },
          );
          return;
        }
        const groupId = String(b.groupId ?? 'tGroupSandbox0001');
        const watermark = { appid: app.appId, timestamp: Math.floor(Date.now() / 1000) };
        // chat_type: 3 a WeChat group (the default), 4 a WeCom interconnected group; 1 and 2 are
        // single chats, which carry a room id and no group id.
        const chatType = [1, 2, 3, 4].includes(Number(b.chatType)) ? Number(b.chatType) : 3;
        const single = chatType <= 2;
        const payload =
          b.api === 'getShareInfo'
            ? { openGId: groupId, watermark }
            : {
                opengid: single ? '' : groupId,
                open_single_roomid: single ? `room_${groupId}` : '',
                group_openid: single ? '' : c.params.openid,
                chat_type: chatType,
                watermark,
              };
        // The plaintext goes to the console only: a client gets it by having its server decrypt.
        answerSimulation(c, mpEncrypt(key, JSON.stringify(payload)), { detail: payload });
      });
      /**
       * The user scans a code (WeChat's scanner, or the mini-program's wx.scanCode): what the
       * scan reads, and, for a QR code holding one of this mini-program's pages (the console's
       * staff binding code, a table QR), the page it opens: `opens` for the mini-program,
       * `h5Url` for the H5 build the merchant server serves.
       */
      router.post('/sandbox/mp/users/:openid/scan', async (c: Koa.Context) => {
        const b = await readBody(c);
        const content = String(b.content ?? '').trim();
        if (!openidOk(c.params.openid) || !content || content.length > 2048) {
          answerSimulation(c, { error: 'content: what the code holds (1–2048 characters)' }, { status: 400 });
          return;
        }
        const page = /^\/?((?:pages|pkg-[\w-]+)\/[\w\-/]+(?:\?[^#\s]*)?)$/.exec(content)?.[1] ?? null;
        answerSimulation(c, {
          scanType: 'QR_CODE',
          charSet: 'utf-8',
          result: content,
          path: page,
          opens: page ? `/${page}` : null,
          h5Url: page ? `${ctx.merchantBaseUrl.replace(/\/$/, '')}/#/${page}` : null,
        });
      });
      /** The user taps "allow" on a subscribe-message prompt (one message per consent). */
      router.post('/sandbox/mp/users/:openid/subscribe-consent', async (c: Koa.Context) => {
        const b = await readBody(c);
        if (!b.templateId) {
          answerSimulation(c, { error: 'templateId is required' }, { status: 400 });
          return;
        }
        oa.store.update((s) => (s.consent[c.params.openid] ??= []).push(String(b.templateId)));
        answerSimulation(c, { consent: oa.store.state.consent[c.params.openid] });
      });
    },
    users() {
      return Object.keys(store.state.sessionKeys).map((openid) => ({
        openid,
        roles: [openid.startsWith('oH5') ? 'H5 商城买家 H5 buyer' : '小程序用户 mini-program'],
        lastSeen: store.state.lastLogin?.[openid] ?? 0,
      }));
    },
    console(view) {
      const user = encodeURIComponent(view.openid);
      const session = store.state.sessionKeys[view.openid];
      const consent = oa.store.state.consent[view.openid] ?? [];
      return {
        title: '小程序 Mini-program',
        id: 'mp',
        html: `<p>App <code>${escapeHtml(app.appId)}</code> · <code>${escapeHtml(view.openid)}</code> ${
          session ? '已登录 has a session' : '还没登录 has not logged in'
        } · 可发订阅消息 consents: ${consent.map((t) => `<code>${escapeHtml(t)}</code>`).join(' ') || '无 none'}</p>
<div class="actions">
<form method="post" action="/sandbox/mp/users/${user}/login"><button>登录 wx.login (发一个 code issue a code)</button></form>
<form method="post" action="/sandbox/mp/users/${user}/group-share"><select name="api"><option>getGroupEnterInfo</option><option>getShareInfo</option></select>
<label>群 Group <input name="groupId" value="tGroupSandbox0001" size="16"></label><button>打开群分享 Open a group share</button></form>
<form method="post" action="/sandbox/mp/users/${user}/scan"><label>码的内容 Code content <input name="content" placeholder="pkg-merchant/pages/bind/index?code=12345678" required size="36"></label><button>扫码 Scan</button></form>
<form method="post" action="/sandbox/mp/users/${user}/subscribe-consent"><label>模板 Template <input name="templateId" placeholder="tmpl_order_paid" required size="18"></label><button>允许订阅消息 Allow a subscribe message</button></form>
</div>
<h3 id="groups">群聊 Group chats</h3>
${chats.consoleHtml(view.openid)}`,
      };
    },
    close() {
      store.flush();
    },
  };
}

/**
 * Subscribe-message keyword rules, by the keyword's type (its name without the number):
 * `thing` ≤ 20 characters, `character_string`/`number`/`letter` ≤ 32, `phrase` ≤ 5,
 * `amount` a currency sign or digits with up to two decimals (optionally ending in 元).
 */
export function keywordValueOk(key: string, value: unknown): boolean {
  if (typeof value !== 'string' || value.length === 0) return false;
  const type = key.replace(/\d+$/, '');
  switch (type) {
    case 'character_string':
    case 'number':
    case 'letter':
      return value.length <= 32;
    case 'phrase':
      return value.length <= 5;
    case 'amount':
      return /^[¥$]?\d{1,10}(\.\d{1,2})?元?$/.test(value);
    case 'date':
    case 'time':
      return value.length <= 32;
    default:
      return value.length <= 20;
  }
}
