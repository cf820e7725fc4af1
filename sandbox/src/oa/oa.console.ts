/**
 * The official account's part of the console: push mode, what the chosen user can do
 * (follow, scan, talk, tap the published menu), scene QR codes, and what came back.
 */
import { scanForm } from '../console/page';
import { escapeHtml } from '../html';
import type { OaState, QrTicket } from './oa.surface';

export interface MenuButton {
  name?: string;
  type?: string;
  key?: string;
  url?: string;
  pagepath?: string;
  sub_button?: MenuButton[];
}

/** A button of the published menu by position: "0" (top level) or "1.2" (sub-button). */
export function menuButton(menu: unknown[] | null, position: string): MenuButton | undefined {
  const m = /^(\d)(?:\.(\d))?$/.exec(position);
  if (!menu || !m) return undefined;
  const top = menu[Number(m[1])] as MenuButton | undefined;
  const button = m[2] === undefined ? top : top?.sub_button?.[Number(m[2])];
  // A top-level button with sub-buttons only opens them; it pushes nothing.
  return button && !(m[2] === undefined && button.sub_button?.length) ? button : undefined;
}

const actionLabels: Record<string, string> = {
  QR_STR_SCENE: 'QR_STR_SCENE 临时·字符串 temporary, string',
  QR_SCENE: 'QR_SCENE 临时·整数 temporary, number',
  QR_LIMIT_STR_SCENE: 'QR_LIMIT_STR_SCENE 永久·字符串 permanent, string',
  QR_LIMIT_SCENE: 'QR_LIMIT_SCENE 永久·整数 permanent, 1–100000',
};

function expiry(q: QrTicket, live: boolean): string {
  if (q.expiresAt === null) return '永久 permanent';
  if (!live) return '<span class="bad">已过期 expired</span>';
  return `剩 ${Math.ceil((q.expiresAt - Date.now()) / 1000)} 秒 s left`;
}

function menuHtml(menu: unknown[] | null, openid: string): string {
  if (!menu?.length) {
    return `<p class="muted">还没有发布菜单：商户服务器用 <code>/cgi-bin/menu/create</code> 发布后，按钮会出现在这里。
No menu published: once the merchant server calls <code>/cgi-bin/menu/create</code>, its buttons appear here.</p>`;
  }
  const action = `/sandbox/oa/users/${encodeURIComponent(openid)}/menu`;
  const tap = (position: string, b: MenuButton) =>
    `<button name="button" value="${position}" title="${escapeHtml(`${b.type ?? ''} ${b.key ?? b.url ?? b.pagepath ?? ''}`)}">${escapeHtml(b.name ?? '?')}</button>`;
  const groups = (menu as MenuButton[]).map((top, i) =>
    top.sub_button?.length
      ? `<span><b>${escapeHtml(top.name ?? '')}</b> ▸ ${top.sub_button.map((sub, j) => tap(`${i}.${j}`, sub)).join(' ')}</span>`
      : tap(String(i), top),
  );
  return `<form class="menu" method="post" action="${action}">菜单 Menu: ${groups.join(' ')}</form>`;
}

export function oaConsoleHtml(
  s: OaState,
  openid: string,
  pushUrl: string,
  live: (ticket: string) => QrTicket | undefined,
): string {
  const user = encodeURIComponent(openid);
  const f = s.followers[openid];
  const state = !f
    ? '还没有关注 not following yet'
    : f.subscribed
      ? `已关注 following${f.qrScene ? ` · 来自场景 from scene <b>${escapeHtml(f.qrScene)}</b>` : ''}`
      : '已取消关注 unfollowed';
  const modes = (['plain', 'compat', 'safe'] as const)
    .map((m) => `<option value="${m}"${m === s.mode ? ' selected' : ''}>${m}</option>`)
    .join('');
  const tickets = Object.entries(s.qr)
    .sort(([, a], [, b]) => (b.createdAt ?? 0) - (a.createdAt ?? 0))
    .slice(0, 8)
    .map(([ticket, q]) => {
      const ok = !!live(ticket);
      const image = `/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`;
      return `<tr><td><b>${escapeHtml(q.scene)}</b></td><td class="nowrap">${escapeHtml(q.action)}</td><td class="nowrap">${expiry(q, ok)}</td>
<td class="nowrap"><a href="${escapeHtml(image)}">图片 image</a></td><td>${ok ? scanForm(ticket, openid, true) : ''}</td></tr>`;
    })
    .join('');
  const inbox = (s.inbox[openid] ?? [])
    .slice(-8)
    .reverse()
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.at.slice(11, 19))}</td><td>${escapeHtml(m.via)}</td><td>${escapeHtml(m.content)}</td></tr>`,
    )
    .join('');
  const pushes = s.deliveries
    .slice(0, 6)
    .map(
      (d) =>
        `<tr><td>${escapeHtml(d.at.slice(11, 19))}</td><td>${escapeHtml(d.summary)}</td><td>${escapeHtml(d.mode)}</td><td>${escapeHtml(d.outcome)} ×${d.attempts}</td><td>${escapeHtml(d.reply.kind)}${
          d.reply.content ? `: ${escapeHtml(d.reply.content)}` : ''
        }</td></tr>`,
    )
    .join('');
  return `<form method="post" action="/sandbox/oa/mode">推送模式 Push mode <select name="mode">${modes}</select><button>设置 Set</button>
<span class="muted">推送到 Pushes go to <code>${escapeHtml(pushUrl)}</code></span></form>
<h3>以 <code>${escapeHtml(openid)}</code> 的身份 <span class="en">As this user</span> · ${state}</h3>
<div class="actions">
<form method="post" action="/sandbox/oa/users/${user}/follow"><button>关注 Follow</button></form>
<form method="post" action="/sandbox/oa/users/${user}/unfollow"><button class="plain">取消关注 Unfollow</button></form>
<form method="post" action="/sandbox/oa/users/${user}/text"><input name="content" placeholder="你好" required><button>发消息 Send text</button></form>
<form method="post" action="/sandbox/oa/users/${user}/click"><input name="key" placeholder="菜单 key · menu key" required><button>按 key 点菜单 Click by key</button></form>
</div>
${menuHtml(s.menu, openid)}
<h3>带参数二维码 <span class="en">Scene QR codes</span></h3>
<form method="post" action="/sandbox/oa/qrcodes"><input type="hidden" name="openid" value="${escapeHtml(openid)}">
<select name="action_name">${Object.entries(actionLabels)
    .map(([v, label]) => `<option value="${v}">${escapeHtml(label)}</option>`)
    .join('')}</select>
<label>场景 Scene <input name="scene" placeholder="table-12 或 12" required size="14"></label>
<label>有效期 Expires <input name="expire_seconds" placeholder="60" size="8" inputmode="numeric"> 秒 s</label>
<button>生成 Create</button></form>
<p class="muted">临时码默认 60 秒、最长 30 天 (2592000 秒)；永久码不过期。Temporary codes: 60 s by default, 30 days at most; permanent codes never expire.</p>
${tickets ? `<table><tr><th>场景 Scene</th><th>类型 Type</th><th>有效期 Expiry</th><th></th><th>以 <code>${escapeHtml(openid)}</code> As this user</th></tr>${tickets}</table>` : ''}
<h3>收到的消息 <span class="en">Messages this user received</span></h3>
${inbox ? `<table><tr><th>UTC</th><th>途径 Via</th><th>内容 Content</th></tr>${inbox}</table>` : '<p class="muted">还没有 None yet.</p>'}
<h3>最近推送 <span class="en">Last pushes to the merchant</span></h3>
${pushes ? `<table><tr><th>UTC</th><th>事件 Event</th><th>模式 Mode</th><th>应答 Answer</th><th>回复 Reply</th></tr>${pushes}</table>` : '<p class="muted">还没有 None yet.</p>'}`;
}
