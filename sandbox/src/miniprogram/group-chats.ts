/**
 * Group chats as the mini-program meets them (WECHAT-MARKETING.md §7, WECHAT-PROTOCOL.md §3):
 * groups of simulated users; a member shares a mini-program card into a group (or a single
 * chat) and it becomes a message there; a member opening it gets a launch with scene 1044 and
 * a shareTicket for a group card shared withShareTicket (1008 without one, 1007 from a single
 * chat, no ticket); `wx.getGroupEnterInfo` / `wx.getShareInfo` for that launch answer the
 * payload encrypted with that user's session key (AES-128-CBC, watermark appid): chat_type 3
 * in a group, 1 in a single chat; 40097 outside a group scene; 65206 when the user is not (or
 * no longer) in the group. The H5 storefront plays the WeChat client through these routes:
 * the page a member opens carries the launch (`scene`, `shareTicket` or `enterId`) in its URL.
 */
import { createHash, randomBytes } from 'node:crypto';
import type Koa from 'koa';
import type Router from 'koa-router';
import { escapeHtml } from '../html';
import { mpEncrypt } from '../platform/crypto';
import { answerSimulation, errmsgs, readBody } from '../platform/platform';
import type { JsonStore } from '../store';

export interface Group {
  /** The group's id as WeChat gives it to this mini-program (openGId / opengid). */
  id: string;
  name: string;
  members: string[];
  /** Users removed from (or who left) the group: they still see its old messages. */
  former: string[];
  createdAt: number;
}

export interface ShareMessage {
  id: string;
  /** A group, or a single chat between `from` and `to`. */
  groupId: string | null;
  to: string | null;
  from: string;
  /** The card's page, as onShareAppMessage returned it (starts with `/`). */
  path: string;
  title: string;
  imageUrl: string | null;
  withShareTicket: boolean;
  at: number;
}

/** One launch of the mini-program from a card: what getLaunchOptionsSync would say. */
interface Enter {
  openid: string;
  messageId: string;
  scene: number;
  groupId: string | null;
  shareTicket: string | null;
  at: number;
}

export interface GroupState {
  groups?: Record<string, Group>;
  messages?: ShareMessage[];
  /** Launch id (the shareTicket for a group card) → the launch. */
  enters?: Record<string, Enter>;
}

/** Scenes (场景值): a card with shareTicket, a group card without, a single-chat card. */
export const SCENE = { groupTicket: 1044, groupCard: 1008, singleCard: 1007 } as const;
/** A launch is good for this long (WeChat: the mini-program's lifecycle). */
const ENTER_TTL_MS = 2 * 3600_000;
const KEEP_MESSAGES = 500;

const OPENID = /^[\w-]{1,64}$/;
const newId = (prefix: string, bytes = 12) => prefix + randomBytes(bytes).toString('base64url').replace(/[-_]/g, 'x');

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errcode?: number,
  ) {
    super(message);
  }
}

function refuse(c: Koa.Context, err: unknown, openid?: string): void {
  if (!(err instanceof Refusal)) throw err;
  const body = err.errcode
    ? { errcode: err.errcode, errmsg: `${errmsgs[err.errcode] ?? err.message}: ${err.message}`, error: err.message }
    : { error: err.message };
  answerSimulation(c, body, { status: err.status, openid });
}

function membersOf(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw.map(String) : String(raw ?? '').split(/[\s,，]+/);
  const out = [...new Set(list.map((s) => s.trim()).filter(Boolean))];
  const bad = out.find((o) => !OPENID.test(o));
  if (bad) throw new Refusal(400, `members: "${bad}" is not an openid (letters, digits, _ and -)`);
  return out;
}

export function groupChats(
  store: JsonStore<GroupState & { sessionKeys: Record<string, string> }>,
  appId: string,
  merchantBaseUrl: string,
) {
  const s = store.state;
  const groups = () => (s.groups ??= {});
  const messages = () => (s.messages ??= []);
  const enters = () => (s.enters ??= {});

  const group = (id: string): Group => {
    const g = groups()[id];
    if (!g) throw new Refusal(404, `no group ${id}`);
    return g;
  };
  const userOk = (openid: string) => {
    if (!OPENID.test(openid)) throw new Refusal(400, 'openid: letters, digits, _ and - only');
  };
  /** Whether a user sees a message: the single chat's two, or anyone who is or was in the group. */
  const sees = (openid: string, m: ShareMessage) =>
    m.groupId
      ? Boolean(groups()[m.groupId]?.members.includes(openid) || groups()[m.groupId]?.former.includes(openid))
      : m.from === openid || m.to === openid;

  const view = (g: Group) => ({
    ...g,
    messages: messages().filter((m) => m.groupId === g.id),
  });

  /** The page the H5 storefront opens for a launch: the card's path plus the launch. */
  const h5Url = (path: string, launch: Record<string, string>) => {
    const q = new URLSearchParams(launch).toString();
    return `${merchantBaseUrl}/#${path}${path.includes('?') ? '&' : '?'}${q}`;
  };

  function createGroup(name: string, members: string[]): Group {
    const g: Group = { id: newId('tG'), name, members, former: [], createdAt: Date.now() };
    store.update(() => (groups()[g.id] = g));
    return g;
  }

  function share(from: string, b: Record<string, unknown>): ShareMessage {
    userOk(from);
    const path = String(b.path ?? '').trim();
    if (!/^\/(pages|pkg-[\w-]+)\/[\w\-/]+(\?[^#\s]*)?$/.test(path))
      throw new Refusal(400, 'path: a page of this mini-program starting with / (onShareAppMessage)');
    const title =
      String(b.title ?? '')
        .trim()
        .slice(0, 60) || '小程序 Mini-program';
    const groupId = b.groupId ? String(b.groupId) : null;
    const to = b.to ? String(b.to) : null;
    if (groupId) {
      if (!group(groupId).members.includes(from)) throw new Refusal(403, `${from} is not in group ${groupId}`);
    } else if (to) userOk(to);
    else throw new Refusal(400, 'groupId (a group) or to (a single chat) is required');
    const m: ShareMessage = {
      id: newId('msg', 9),
      groupId,
      to: groupId ? null : to,
      from,
      path,
      title,
      imageUrl: b.imageUrl ? String(b.imageUrl).slice(0, 500) : null,
      // A card shared after wx.showShareMenu({withShareTicket: true}); the default here.
      withShareTicket: !['false', '0', 'no'].includes(String(b.withShareTicket ?? 'true')),
      at: Date.now(),
    };
    store.update(() => {
      messages().push(m);
      if (messages().length > KEEP_MESSAGES) messages().splice(0, messages().length - KEEP_MESSAGES);
    });
    return m;
  }

  function open(openid: string, messageId: string) {
    userOk(openid);
    const m = messages().find((x) => x.id === messageId);
    if (!m || !sees(openid, m)) throw new Refusal(404, `${openid} has no message ${messageId}`);
    const ticket = Boolean(m.groupId && m.withShareTicket);
    const scene = m.groupId ? (ticket ? SCENE.groupTicket : SCENE.groupCard) : SCENE.singleCard;
    const id = ticket ? newId('st', 18) : newId('enter', 12);
    const now = Date.now();
    store.update(() => {
      // A new launch ends this user's earlier ones (a ticket lives as long as its launch), and old ones go.
      for (const [k, e] of Object.entries(enters()))
        if (e.openid === openid || now - e.at > ENTER_TTL_MS) delete enters()[k];
      enters()[id] = { openid, messageId, scene, groupId: m.groupId, shareTicket: ticket ? id : null, at: now };
    });
    const launch: Record<string, string> = ticket
      ? { scene: String(scene), shareTicket: id }
      : { scene: String(scene), enterId: id };
    const [page, query = ''] = m.path.slice(1).split('?');
    return {
      scene,
      shareTicket: ticket ? id : null,
      enterId: id,
      chatType: m.groupId ? 3 : 1,
      path: page,
      query: Object.fromEntries(new URLSearchParams(query)),
      opens: m.path,
      h5Url: h5Url(m.path, launch),
    };
  }

  /** wx.getGroupEnterInfo (or wx.getShareInfo with the ticket) for a user's launch. */
  function enterInfo(openid: string, b: Record<string, unknown>) {
    userOk(openid);
    const api = b.api === 'getShareInfo' ? 'getShareInfo' : 'getGroupEnterInfo';
    const key = String(b.shareTicket ?? b.enterId ?? '');
    const e = key ? enters()[key] : undefined;
    // Not launched from a chat (or from another user's, or an ended launch): a scene error.
    if (!e || e.openid !== openid || Date.now() - e.at > ENTER_TTL_MS)
      throw new Refusal(400, 'not opened from a chat (no such launch for this user)', 40097);
    if (api === 'getShareInfo' && !e.shareTicket)
      throw new Refusal(400, 'getShareInfo needs the shareTicket of a group card (scene 1044)', 40097);
    const sessionKey = store.state.sessionKeys[openid];
    if (!sessionKey) throw new Refusal(409, '先登录小程序 log in first (POST /sandbox/mp/users/:openid/login)');
    const watermark = { appid: appId, timestamp: Math.floor(Date.now() / 1000) };
    let payload: Record<string, unknown>;
    if (e.groupId) {
      if (!groups()[e.groupId]?.members.includes(openid))
        throw new Refusal(403, `${openid} is not (or no longer) in the group`, 65206);
      payload =
        api === 'getShareInfo'
          ? { openGId: e.groupId, watermark }
          : {
              opengid: e.groupId,
              open_single_roomid: '',
              group_openid: `gO${createHash('sha256').update(`${e.groupId}:${openid}`).digest('base64url').slice(0, 26)}`,
              chat_type: 3,
              watermark,
            };
    } else {
      const m = messages().find((x) => x.id === e.messageId);
      const pair = [m?.from ?? '', m?.to ?? ''].sort().join(':');
      payload = {
        opengid: '',
        open_single_roomid: `room${createHash('sha256').update(pair).digest('base64url').slice(0, 24)}`,
        group_openid: '',
        chat_type: 1,
        watermark,
      };
    }
    return { body: mpEncrypt(sessionKey, JSON.stringify(payload)), payload, scene: e.scene };
  }

  function mount(router: Router): void {
    router.get('/sandbox/mp/groups', (c: Koa.Context) => {
      c.body = { groups: Object.values(groups()) };
    });
    router.post('/sandbox/mp/groups', async (c: Koa.Context) => {
      try {
        const b = await readBody(c);
        const name = String(b.name ?? '')
          .trim()
          .slice(0, 40);
        if (!name) throw new Refusal(400, 'name: the group chat’s name');
        answerSimulation(c, createGroup(name, membersOf(b.members)));
      } catch (err) {
        refuse(c, err);
      }
    });
    router.get('/sandbox/mp/groups/:groupId', (c: Koa.Context) => {
      try {
        c.body = view(group(c.params.groupId));
      } catch (err) {
        refuse(c, err);
      }
    });
    router.post('/sandbox/mp/groups/:groupId/members', async (c: Koa.Context) => {
      try {
        const g = group(c.params.groupId);
        const add = membersOf((await readBody(c)).openid);
        if (!add.length) throw new Refusal(400, 'openid: who joins');
        store.update(() => {
          for (const o of add) if (!g.members.includes(o)) g.members.push(o);
          g.former = g.former.filter((o) => !add.includes(o));
        });
        answerSimulation(c, g);
      } catch (err) {
        refuse(c, err);
      }
    });
    router.post('/sandbox/mp/groups/:groupId/members/:openid/remove', (c: Koa.Context) => {
      try {
        const g = group(c.params.groupId);
        const openid = c.params.openid;
        if (!g.members.includes(openid)) throw new Refusal(404, `${openid} is not in group ${g.id}`);
        store.update(() => {
          g.members = g.members.filter((o) => o !== openid);
          if (!g.former.includes(openid)) g.former.push(openid);
        });
        answerSimulation(c, g);
      } catch (err) {
        refuse(c, err);
      }
    });
    /** The chats a user sees: their groups and the cards shared where they can read them. */
    router.get('/sandbox/mp/users/:openid/chats', (c: Koa.Context) => {
      const openid = c.params.openid;
      c.body = {
        groups: Object.values(groups()).filter((g) => g.members.includes(openid)),
        messages: messages().filter((m) => sees(openid, m)),
      };
    });
    /** The user shares a card (onShareAppMessage's title and path) into a group or a single chat. */
    router.post('/sandbox/mp/users/:openid/share', async (c: Koa.Context) => {
      try {
        answerSimulation(c, share(c.params.openid, await readBody(c)));
      } catch (err) {
        refuse(c, err, c.params.openid);
      }
    });
    /** The user taps a card: the launch (scene, shareTicket) and the page it opens. */
    router.post('/sandbox/mp/users/:openid/open', async (c: Koa.Context) => {
      try {
        answerSimulation(c, open(c.params.openid, String((await readBody(c)).messageId ?? '')));
      } catch (err) {
        refuse(c, err, c.params.openid);
      }
    });
    /** wx.getGroupEnterInfo / wx.getShareInfo in that launch: the encrypted group identity. */
    router.post('/sandbox/mp/users/:openid/group-enter-info', async (c: Koa.Context) => {
      try {
        const out = enterInfo(c.params.openid, await readBody(c));
        // The plaintext goes to the console only: a client gets it by having its server decrypt.
        answerSimulation(c, out.body, { detail: out.payload });
      } catch (err) {
        refuse(c, err, c.params.openid);
      }
    });
  }

  /** The console's 群聊 section, acting as `openid`. */
  function consoleHtml(openid: string): string {
    const user = encodeURIComponent(openid);
    const all = Object.values(groups()).sort((a, b) => b.createdAt - a.createdAt);
    const rows = all
      .map((g) => {
        const gid = encodeURIComponent(g.id);
        const members = g.members
          .map(
            (o) =>
              `<span class="tag">${escapeHtml(o)}</span><form method="post" action="/sandbox/mp/groups/${gid}/members/${encodeURIComponent(o)}/remove" style="display:inline-flex;margin:0 6px 0 2px"><button class="plain" title="移出 remove">×</button></form>`,
          )
          .join('');
        const cards = messages()
          .filter((m) => m.groupId === g.id)
          .slice(-5)
          .map(
            (m) =>
              `<li><code>${escapeHtml(m.from)}</code>: ${escapeHtml(m.title)} <code>${escapeHtml(m.path)}</code>${
                m.withShareTicket ? ' <span class="tag">withShareTicket</span>' : ''
              }<form method="post" action="/sandbox/mp/users/${user}/open" style="display:inline-flex;margin:0 0 0 8px"><input type="hidden" name="messageId" value="${escapeHtml(m.id)}"><button>以 ${escapeHtml(openid)} 打开 Open</button></form></li>`,
          )
          .join('');
        return `<h3>${escapeHtml(g.name)} <code>${escapeHtml(g.id)}</code></h3>
<p>成员 Members: ${members || '<span class="muted">无 none</span>'}${
          g.former.length ? ` · <span class="muted">已退出 Left: ${g.former.map(escapeHtml).join(', ')}</span>` : ''
        }</p>
<form method="post" action="/sandbox/mp/groups/${gid}/members"><label>加入 Add <input name="openid" value="${escapeHtml(openid)}" size="20"></label><button>加入群 Add to group</button></form>
<form method="post" action="/sandbox/mp/users/${user}/share"><input type="hidden" name="groupId" value="${escapeHtml(g.id)}"><label>页面 Page <input name="path" placeholder="/pages/home/index" required size="40"></label><label>标题 Title <input name="title" size="14"></label><button>以 ${escapeHtml(openid)} 分享到群 Share into the group</button></form>
${cards ? `<ul>${cards}</ul>` : ''}`;
      })
      .join('');
    return `<p class="muted">群成员分享小程序卡片（withShareTicket）到群里；成员打开时得到 shareTicket（场景 1044），getGroupEnterInfo 返回用其 session_key 加密的群信息（chat_type 3）；不在群里 65206，不是从群打开 40097。
A member shares a card into a group; a member opening it gets a shareTicket (scene 1044) and getGroupEnterInfo answers the group encrypted with their session key (chat_type 3); not in the group: 65206; not opened from a group: 40097.</p>
<form method="post" action="/sandbox/mp/groups"><label>群名 Name <input name="name" required size="14" placeholder="茶友群"></label><label>成员 Members <input name="members" value="${escapeHtml(openid)}" size="36" placeholder="openid, openid"></label><button>建群 Create a group</button></form>
<form method="post" action="/sandbox/mp/users/${user}/group-enter-info"><select name="api"><option>getGroupEnterInfo</option><option>getShareInfo</option></select><label>shareTicket / enterId <input name="shareTicket" size="28" required></label><button>以 ${escapeHtml(openid)} 读群信息 Read the group</button></form>
${rows || '<p>还没有群 No groups yet.</p>'}`;
  }

  return { mount, consoleHtml, createGroup, share, open, enterInfo };
}
