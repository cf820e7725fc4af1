/**
 * The console at `/`: a playground for developers. Pick (or make up) a simulated user, act
 * as them on every surface, and see what happened on the page: the login code, the group
 * share, the push the merchant got and the reply the user got. Chinese first, English beside.
 */
import { escapeHtml } from '../html';
import type { PushRecord } from '../oa/push';
import type { ConsoleView, SandboxContext, SeenUser, Surface } from '../surface';
import type { ConsoleResult, ConsoleResults } from './results';

export const DEFAULT_CONSOLE_USER = 'o_console_user';
const OPENID = /^[\w-]{1,64}$/;

/** Every user the surfaces have seen, one row per openid, most recent first. */
export function seenUsers(surfaces: Surface[]): SeenUser[] {
  const byId = new Map<string, SeenUser>();
  for (const u of surfaces.flatMap((s) => s.users?.() ?? [])) {
    const row = byId.get(u.openid) ?? { openid: u.openid, roles: [], lastSeen: 0 };
    for (const role of u.roles) if (!row.roles.includes(role)) row.roles.push(role);
    row.lastSeen = Math.max(row.lastSeen, u.lastSeen);
    byId.set(u.openid, row);
  }
  return [...byId.values()].sort((a, b) => b.lastSeen - a.lastSeen || a.openid.localeCompare(b.openid));
}

const json = (v: unknown) => escapeHtml(JSON.stringify(v, null, 2) ?? '');
const time = (ms: number) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '—');

function isPush(v: unknown): v is PushRecord {
  return typeof v === 'object' && v !== null && 'attempts' in v && 'reply' in v && 'summary' in v;
}

function pushHtml(p: PushRecord): string {
  const reply =
    p.reply.kind === 'none'
      ? '<span class="muted">无回复（success 或空）No reply (success or empty)</span>'
      : p.reply.kind === 'unavailable'
        ? `<span class="bad">用户看到 The user sees: ${escapeHtml(p.reply.content ?? '')}</span>`
        : `<b>${escapeHtml(p.reply.kind)}</b>: ${escapeHtml(p.reply.content ?? '')}`;
  return `<table class="kv">
<tr><th>推送 Delivered</th><td>${escapeHtml(p.summary)} · ${escapeHtml(p.mode)} 模式 mode · ${p.attempts} 次 tries · 商户应答 merchant answered <b>${escapeHtml(p.outcome)}</b></td></tr>
<tr><th>用户收到的回复 Reply received</th><td>${reply}</td></tr>
<tr><th>推送的消息 Message pushed</th><td><pre>${escapeHtml(p.sent ?? '')}</pre></td></tr>
</table>`;
}

/** The parts of a result worth reading first; the raw JSON follows in every case. */
function resultBody(r: ConsoleResult): string {
  const b = (r.body ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof b.error === 'string') parts.push(`<p class="bad">${escapeHtml(b.error)}</p>`);
  // A scanned QR code that opens a mini-program page: a link to it in the H5 build.
  if (typeof b.h5Url === 'string' && /^https?:\/\//.test(b.h5Url))
    parts.push(
      `<p>打开的页面 Opens <a href="${escapeHtml(b.h5Url)}">${escapeHtml(String(b.opens ?? b.h5Url))}</a></p>`,
    );
  if (typeof b.errcode === 'number' && b.errcode !== 0) {
    parts.push(`<p class="bad">errcode <b>${b.errcode}</b>: ${escapeHtml(String(b.errmsg ?? ''))}</p>`);
  }
  if ('pushed' in b) {
    parts.push(
      isPush(b.pushed)
        ? pushHtml(b.pushed)
        : '<p class="muted">已经关注，没有推送 Already following: nothing was pushed.</p>',
    );
  }
  if (typeof b.code === 'string' && r.path.endsWith('/login')) {
    parts.push(`<p>登录 code Login code: <code class="big" data-code>${escapeHtml(b.code)}</code></p>
<p class="muted">只能用一次，5 分钟内有效；服务器用 <code>/sns/jscode2session</code> 换取 openid 和 session_key。
Single use, valid for 5 minutes; the server exchanges it through <code>/sns/jscode2session</code>.</p>`);
  }
  if (typeof b.encryptedData === 'string') {
    parts.push(`<table class="kv"><tr><th>encryptedData</th><td><code>${escapeHtml(b.encryptedData)}</code></td></tr>
<tr><th>iv</th><td><code>${escapeHtml(String(b.iv ?? ''))}</code></td></tr>
<tr><th>解密后 Decrypted (session_key)</th><td><pre>${json(r.detail)}</pre></td></tr></table>`);
  }
  if (typeof b.ticket === 'string' && typeof b.url === 'string') {
    const image = `/cgi-bin/showqrcode?ticket=${encodeURIComponent(b.ticket)}`;
    parts.push(`<div class="qr"><img src="${escapeHtml(image)}" alt="QR" width="140" height="170">
<table class="kv"><tr><th>ticket</th><td><code data-ticket>${escapeHtml(b.ticket)}</code></td></tr>
<tr><th>场景 Scene</th><td><b>${escapeHtml(String(b.scene ?? ''))}</b> (${escapeHtml(String(b.action_name ?? ''))})</td></tr>
<tr><th>有效期 Expires</th><td>${b.expire_seconds === undefined ? '永久 permanent' : `${Number(b.expire_seconds)} 秒 s`}</td></tr>
<tr><th>图片 Image</th><td><a href="${escapeHtml(image)}">${escapeHtml(image)}</a></td></tr></table></div>
${scanForm(b.ticket, r.openid ?? DEFAULT_CONSOLE_USER)}`);
  }
  if (typeof b.card_id === 'string') {
    parts.push(
      `<p>会员卡已创建 Card created: <code>${escapeHtml(b.card_id)}</code>（审核通过事件 card_pass_check 已推送 pushed）</p>`,
    );
  }
  return parts.join('\n');
}

/** The form a simulated user scans a ticket with (follow if new, SCAN if following). */
export function scanForm(ticket: string, openid: string, short = false): string {
  const label = short ? '扫码 Scan' : `以 ${escapeHtml(openid)} 扫码 Scan as ${escapeHtml(openid)}`;
  return `<form method="post" action="/sandbox/oa/users/${encodeURIComponent(openid)}/follow"><input type="hidden" name="ticket" value="${escapeHtml(ticket)}"><button title="${escapeHtml(openid)}">${label}</button></form>`;
}

function resultSection(r: ConsoleResult): string {
  const ok = r.status < 400 && !('error' in ((r.body ?? {}) as object));
  return `<section id="result" class="result ${ok ? 'ok' : 'fail'}" data-status="${r.status}">
<h2>结果 Result · ${escapeHtml(r.label.zh)} <span class="en">${escapeHtml(r.label.en)}</span></h2>
<p class="muted">${escapeHtml(r.at)} · ${escapeHtml(r.method)} <code>${escapeHtml(r.path)}</code> · HTTP <b>${r.status}</b>${
    r.openid ? ` · 用户 user <code>${escapeHtml(r.openid)}</code>` : ''
  }</p>
${resultBody(r)}
<details><summary>原始 JSON · Raw JSON (what an API caller gets)</summary><pre>${json(r.body)}</pre></details>
</section>`;
}

function usersSection(users: SeenUser[], current: string): string {
  const rows = users
    .map(
      (u) =>
        `<tr${u.openid === current ? ' class="current"' : ''}><td><code>${escapeHtml(u.openid)}</code></td><td>${u.roles
          .map((r) => `<span class="tag">${escapeHtml(r)}</span>`)
          .join(' ')}</td><td>${time(u.lastSeen)}</td><td>${
          u.openid === current ? '当前 current' : `<a href="/?as=${encodeURIComponent(u.openid)}">操作此用户 Act as</a>`
        }</td></tr>`,
    )
    .join('');
  return `<section id="users"><h2>模拟用户 <span class="en">Simulated users</span></h2>
<p class="muted">沙箱见过的用户：关注过公众号、登录过小程序（含 H5 商城的买家，openid 以 <code>oH5</code> 开头）、领过会员卡或付过款。
Users the sandbox has seen: followers, mini-program logins (the H5 storefront's buyer too, <code>oH5…</code>), card holders, payers.</p>
${rows ? `<table><tr><th>openid</th><th>身份 Roles</th><th>最近 Last seen (UTC)</th><th></th></tr>${rows}</table>` : '<p>还没有 None yet.</p>'}
</section>`;
}

export function consolePage(
  ctx: SandboxContext,
  surfaces: Surface[],
  results: ConsoleResults,
  query: { as?: string; r?: string },
): string {
  const users = seenUsers(surfaces);
  const asked = typeof query.as === 'string' ? query.as.trim() : '';
  const badOpenid = asked !== '' && !OPENID.test(asked);
  const openid = asked && !badOpenid ? asked : (users[0]?.openid ?? DEFAULT_CONSOLE_USER);
  const view: ConsoleView = { openid };
  const result = results.get(query.r);
  const sections = surfaces
    .map((s) => s.console?.(view))
    .filter((s): s is NonNullable<typeof s> => Boolean(s))
    .map((s) => `<section${s.id ? ` id="${escapeHtml(s.id)}"` : ''}><h2>${escapeHtml(s.title)}</h2>${s.html}</section>`)
    .join('\n');
  const options = users.map(
    (u) => `<option value="${escapeHtml(u.openid)}">${escapeHtml(u.roles.join(' · '))}</option>`,
  );
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>微信沙箱 · chatmall sandbox</title>
<style>
  body { font: 15px/1.6 system-ui, "WenQuanYi Micro Hei", sans-serif; margin: 0; background: #f3f3f1; color: #222; }
  header { background: #07c160; color: #fff; padding: 14px 24px; }
  header h1 { margin: 0; font-size: 22px; }
  .userbar { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid #ddd; padding: 8px 24px; }
  .userbar form { margin: 0; }
  main { max-width: 1080px; margin: 0 auto; padding: 8px 24px 40px; }
  section { background: #fff; border-radius: 10px; padding: 12px 18px; margin: 14px 0; overflow-wrap: anywhere; scroll-margin-top: 64px; }
  section h2 { margin: 4px 0 8px; font-size: 18px; }
  h3 { font-size: 15px; margin: 14px 0 4px; }
  .en { color: #666; font-weight: normal; }
  .muted { color: #777; font-size: 13px; }
  .bad { color: #d43030; }
  code { background: #f0f0f0; padding: 1px 5px; border-radius: 4px; word-break: break-all; }
  code.big { font-size: 17px; }
  pre { background: #f7f7f7; padding: 8px; border-radius: 6px; white-space: pre-wrap; word-break: break-all; margin: 4px 0; max-height: 320px; overflow: auto; }
  table { border-collapse: collapse; width: 100%; } td, th { padding: 4px 8px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
  table.kv th { width: 190px; color: #555; font-weight: normal; }
  tr.current { background: #eefbf3; }
  td.nowrap { white-space: nowrap; }
  td form { margin: 0; }
  form { display: flex; flex-wrap: wrap; gap: 6px 8px; align-items: center; margin: 8px 0; }
  input, select, button { font: inherit; }
  input, select { padding: 3px 6px; border: 1px solid #ccc; border-radius: 5px; }
  button { padding: 3px 12px; border: 1px solid #07c160; background: #07c160; color: #fff; border-radius: 5px; cursor: pointer; }
  button.plain { background: #fff; color: #07a150; }
  .tag { display: inline-block; background: #eef3ff; color: #2b4da0; border-radius: 4px; padding: 0 6px; font-size: 13px; margin: 1px 0; }
  .result.ok { border-left: 6px solid #07c160; }
  .result.fail { border-left: 6px solid #d43030; }
  .qr { display: flex; gap: 16px; align-items: flex-start; }
  .actions { display: flex; flex-wrap: wrap; gap: 0 28px; align-items: center; }
  .menu button { background: #fff; color: #222; border-color: #bbb; }
</style></head>
<body>
<header><h1>微信沙箱 <span style="font-weight:normal">chatmall sandbox</span></h1>
<div>离线的微信，供开发和测试使用，不会连接真正的微信。An offline WeChat for development and tests: nothing here reaches WeChat.</div></header>
<div class="userbar"><form method="get" action="/">
<label>当前模拟用户 <span class="en">Acting as</span> <input name="as" list="seen-users" value="${escapeHtml(openid)}" size="30" pattern="[A-Za-z0-9_\\-]{1,64}" title="letters, digits, _ and -"></label>
<datalist id="seen-users">${options.join('')}</datalist>
<button>切换或新建 Switch / create</button>
<span class="muted">选一个见过的用户，或输入新的 openid。Pick a user or type a new openid.</span>
${badOpenid ? '<span class="bad">openid 只能含字母、数字、_ 和 - (letters, digits, _ and - only)</span>' : ''}
</form></div>
<main>
${result ? resultSection(result) : ''}
${usersSection(users, openid)}
<section><h2>商户服务器 <span class="en">Merchant server</span></h2><p>沙箱为这个 chatmall 服务器扮演微信 This sandbox plays WeChat for the server at <code>${escapeHtml(ctx.merchantBaseUrl)}</code>.
健康检查 Health: <a href="/healthz"><code>/healthz</code></a></p></section>
${sections}
</main>
</body></html>`;
}
