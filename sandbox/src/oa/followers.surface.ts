/**
 * Followers at scale (WECHAT-MARKETING.md §1): bulk creation for tests and benches,
 * `user/info/batchget` (at most 100), tag rename and delete with WeChat's limits, and a
 * unionid per simulated user (the same person in the official account and the mini-program).
 * The follower list itself (`user/get`), tag creation and tagging live in oa.surface.ts.
 */
import { createHash } from 'node:crypto';
import type Koa from 'koa';
import type Router from 'koa-router';
import type { SandboxContext, Surface } from '../surface';
import { answerSimulation, errmsgs, platformFor, readBody, WechatFault } from '../platform/platform';
import { officialAccountSim, type Follower } from './oa.surface';

Object.assign(errmsgs, {
  40032: 'invalid openid list size',
  45056: 'too many tags',
  45057: 'can not delete the tag with more than 100000 fans',
  45058: 'can not modify the system tag',
  45059: 'can not tagging one user too much',
  45158: 'tag name too long',
  45159: 'invalid tag id',
  49003: 'openid not belong to the appid',
});

/** Tags 0, 1 and 2 are WeChat's own and cannot be renamed or deleted (45058). */
export const SYSTEM_TAGS = new Set([0, 1, 2]);
/** WeChat measures a tag name in UTF-8 bytes: 30 bytes, so 10 Chinese characters. */
export const TAG_NAME_MAX_BYTES = 30;
export const TAGS_PER_ACCOUNT = 100;
export const TAGS_PER_USER = 20;

/**
 * The user's unionid: the same for one simulated person in the official account and the
 * mini-program (the sandbox plays one openid per person in both, so it derives from it).
 */
export function unionidOf(openid: string): string {
  return `oU${createHash('sha256').update(`unionid:${openid}`).digest('base64url').slice(0, 26)}`;
}

/** A tag name WeChat accepts, or the errcode it answers (45157 empty or taken, 45158 too long). */
export function tagNameFault(name: string, taken: string[]): number | null {
  if (!name.trim()) return 45157;
  if (Buffer.byteLength(name, 'utf8') > TAG_NAME_MAX_BYTES) return 45158;
  if (taken.includes(name)) return 45157;
  return null;
}

/** What `user/info` and `user/info/batchget` say about one openid. */
export function userInfo(f: Follower | undefined, openid: string): Record<string, unknown> {
  if (!f?.subscribed) return { subscribe: 0, openid };
  const numeric = f.qrScene !== undefined && /^\d+$/.test(f.qrScene);
  return {
    subscribe: 1,
    openid: f.openid,
    language: 'zh_CN',
    subscribe_time: f.subscribeTime,
    unionid: unionidOf(f.openid),
    remark: '',
    groupid: 0,
    tagid_list: f.tags,
    subscribe_scene: f.qrScene !== undefined ? 'ADD_SCENE_QR_CODE' : 'ADD_SCENE_SEARCH',
    qr_scene: numeric ? Number(f.qrScene) : 0,
    qr_scene_str: numeric ? '' : (f.qrScene ?? ''),
  };
}

export function followersSurface(ctx: SandboxContext): Surface {
  const p = platformFor(ctx);
  const sim = officialAccountSim(ctx);
  const { store } = sim;
  const app = p.apps.oa;
  return {
    name: 'oa-followers',
    mount(router: Router) {
      const api = (route: string, fn: (c: Koa.Context, body: Record<string, unknown>) => unknown) =>
        router.post(
          route,
          p.route(route, async (c: Koa.Context) => {
            if (p.appOfToken(c.query.access_token as string | undefined) !== app.appId) throw new WechatFault(48001);
            return fn(c, await readBody(c));
          }),
        );

      api('/cgi-bin/user/info/batchget', (_c, b) => {
        const list = b.user_list as { openid?: unknown }[] | undefined;
        if (!Array.isArray(list) || list.length === 0 || list.length > 100) throw new WechatFault(40032);
        return {
          user_info_list: list.map((u) => {
            const openid = String(u?.openid ?? '');
            if (!/^[\w-]{1,64}$/.test(openid)) throw new WechatFault(40003);
            return userInfo(store.state.followers[openid], openid);
          }),
        };
      });

      api('/cgi-bin/tags/update', (_c, b) => {
        const tag = (b.tag ?? {}) as { id?: unknown; name?: unknown };
        const id = Number(tag.id);
        if (SYSTEM_TAGS.has(id)) throw new WechatFault(45058);
        if (!Object.hasOwn(store.state.tags, String(id))) throw new WechatFault(45159);
        const name = String(tag.name ?? '');
        const others = Object.entries(store.state.tags).filter(([k]) => k !== String(id));
        const fault = tagNameFault(
          name,
          others.map(([, v]) => v),
        );
        if (fault) throw new WechatFault(fault);
        store.update((s) => (s.tags[String(id)] = name));
        return {};
      });

      api('/cgi-bin/tags/delete', (_c, b) => {
        const id = Number((b.tag as { id?: unknown } | undefined)?.id);
        if (SYSTEM_TAGS.has(id)) throw new WechatFault(45058);
        if (!Object.hasOwn(store.state.tags, String(id))) throw new WechatFault(45159);
        const members = Object.values(store.state.followers).filter((f) => f.tags.includes(id));
        if (members.length > 100_000) throw new WechatFault(45057);
        store.update((s) => {
          delete s.tags[String(id)];
          for (const f of members) f.tags = f.tags.filter((t) => t !== id);
        });
        return {};
      });

      /**
       * Bulk followers for tests and benches: `count` followers named `<prefix><n>` (n from
       * `from`, zero-padded to 7 digits) follow at once, without a push each. They are full
       * followers of the account (user/get, batchget, tags, custom/send, scans see them);
       * `/sandbox/oa/followers/bulk` (campaigns.surface.ts) makes lighter, send-only ones in memory.
       */
      router.post('/sandbox/oa/users/bulk', async (c: Koa.Context) => {
        const b = await readBody(c);
        const count = Number(b.count);
        const from = Number(b.from ?? 0);
        const prefix = String(b.prefix ?? 'oBulk');
        if (!Number.isInteger(count) || count < 1 || count > 2_000_000 || !Number.isInteger(from) || from < 0) {
          answerSimulation(c, { error: 'count: 1..2,000,000; from: 0 or more' }, { status: 400 });
          return;
        }
        if (!/^[\w-]{1,40}$/.test(prefix)) {
          answerSimulation(c, { error: 'prefix: letters, digits, _ and - only' }, { status: 400 });
          return;
        }
        const now = Math.floor(Date.now() / 1000);
        store.update((s) => {
          for (let i = from; i < from + count; i++) {
            const openid = `${prefix}${String(i).padStart(7, '0')}`;
            const f = s.followers[openid];
            if (f) {
              f.subscribed = true;
              continue;
            }
            s.followers[openid] = {
              openid,
              subscribed: true,
              subscribeTime: now,
              tags: [],
              lastInteraction: 0,
              massThisMonth: {},
            };
          }
        });
        answerSimulation(c, {
          created: count,
          total: Object.values(store.state.followers).filter((f) => f.subscribed).length,
        });
      });
    },
  };
}
