/**
 * The custom menu's rules (WECHAT-PROTOCOL.md §2, WECHAT-MARKETING.md §2.3): at most 3
 * top-level buttons of at most 5 sub-buttons; a top-level name ≤ 16 bytes, a sub-button's
 * ≤ 60 bytes; key ≤ 128 bytes; url ≤ 1024 bytes; click needs a key, view a url, miniprogram
 * an appid, a pagepath and a fallback url. `menu/create`, `menu/get` and `menu/delete` are in
 * oa.surface.ts and check a menu with `menuFault`; this surface lets a test read the menu as
 * the phone shows it.
 */
import type Koa from 'koa';
import type Router from 'koa-router';
import type { SandboxContext, Surface } from '../surface';
import { errmsgs } from '../platform/platform';
import { officialAccountSim } from './oa.surface';

Object.assign(errmsgs, {
  40016: 'invalid button size',
  40017: 'invalid button type',
  40018: 'invalid button name size',
  40019: 'invalid button key size',
  40023: 'invalid sub button size',
  40025: 'invalid sub button name size',
  40027: 'invalid sub button url size',
  40054: 'invalid sub button url domain',
  40055: 'invalid button url domain',
  45064: 'no permission to use weapp in menu',
});

const TYPES = new Set([
  'click',
  'view',
  'miniprogram',
  'scancode_push',
  'scancode_waitmsg',
  'pic_sysphoto',
  'pic_photo_or_album',
  'pic_weixin',
  'location_select',
  'media_id',
  'view_limited',
]);
const bytes = (v: unknown) => Buffer.byteLength(String(v ?? ''), 'utf8');

interface Button {
  type?: unknown;
  name?: unknown;
  key?: unknown;
  url?: unknown;
  appid?: unknown;
  pagepath?: unknown;
  sub_button?: Button[];
}

/** WeChat's errcode for a menu it would refuse, or null. `linkedAppId`: the mini program linked to the account. */
export function menuFault(buttons: unknown, linkedAppId: string): number | null {
  if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 3) return 40016;
  for (const top of buttons as Button[]) {
    const subs = top.sub_button;
    if (!top.name || bytes(top.name) > 16) return 40018;
    if (Array.isArray(subs) && subs.length > 0) {
      if (subs.length > 5) return 40023;
      for (const sub of subs) {
        if (!sub.name || bytes(sub.name) > 60) return 40025;
        const f = leafFault(sub, true, linkedAppId);
        if (f) return f;
      }
      continue;
    }
    const f = leafFault(top, false, linkedAppId);
    if (f) return f;
  }
  return null;
}

function leafFault(b: Button, sub: boolean, linkedAppId: string): number | null {
  const type = String(b.type ?? '');
  if (!TYPES.has(type)) return 40017;
  const url = String(b.url ?? '');
  const urlOk = /^https?:\/\/\S+$/.test(url) && bytes(url) <= 1024;
  if (type === 'view' && !urlOk) return sub ? 40027 : 40055;
  if (type === 'miniprogram') {
    if (!urlOk) return sub ? 40027 : 40055;
    if (String(b.appid ?? '') !== linkedAppId) return 45064;
    if (!b.pagepath) return 40017;
  }
  if (
    [
      'click',
      'scancode_push',
      'scancode_waitmsg',
      'pic_sysphoto',
      'pic_photo_or_album',
      'pic_weixin',
      'location_select',
    ].includes(type)
  ) {
    if (!b.key || bytes(b.key) > 128) return 40019;
  }
  return null;
}

export function menuSurface(ctx: SandboxContext): Surface {
  const sim = officialAccountSim(ctx);
  return {
    name: 'oa-menu',
    mount(router: Router) {
      /** The published menu as a follower's phone shows it (null when none). */
      router.get('/sandbox/oa/menu', (c: Koa.Context) => {
        c.body = { button: sim.store.state.menu };
      });
    },
  };
}
