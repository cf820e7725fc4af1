/**
 * Follower APIs beyond official-account.ts (WECHAT-MARKETING.md §1): `user/info/batchget`
 * (at most 100 a call), tag rename and delete, each one WeChat endpoint with WeChat's payload.
 */
import type { WechatClient } from './client';
import type { WechatResult } from './errors';
import type { FollowerInfo } from './official-account';

/** WeChat answers at most 100 users per batchget call. */
export const BATCHGET_MAX = 100;
/** WeChat tags or untags at most 50 followers per call (40032 above). */
export const TAGGING_BATCH = 50;

export function batchFollowerInfo(
  client: WechatClient,
  openids: string[],
): Promise<WechatResult<{ user_info_list: (FollowerInfo & { city?: string })[] }>> {
  if (openids.length === 0 || openids.length > BATCHGET_MAX) throw new RangeError('batchget takes 1..100 openids');
  return client.post('/cgi-bin/user/info/batchget', {
    user_list: openids.map((openid) => ({ openid, lang: 'zh_CN' })),
  });
}

export function renameTag(client: WechatClient, id: number, name: string): Promise<WechatResult<object>> {
  return client.post('/cgi-bin/tags/update', { tag: { id, name } });
}

/** 45057 above 100,000 followers carrying it (untag them first); 45058 for the system tags. */
export function deleteTag(client: WechatClient, id: number): Promise<WechatResult<object>> {
  return client.post('/cgi-bin/tags/delete', { tag: { id } });
}
