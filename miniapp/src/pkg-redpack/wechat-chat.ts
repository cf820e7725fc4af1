/**
 * The chat a red-envelope card was opened in, as WeChat tells the page (WECHAT-MARKETING.md §7):
 * the launch's shareTicket (scene 1044, a group card shared withShareTicket) →
 * `wx.getGroupEnterInfo` (or `wx.getShareInfo` on base libraries before 2.17.3) → an encrypted
 * payload that only the server can open, with this buyer's session key. The page never reads a
 * group id itself. In H5 the sandbox plays the WeChat client: the page's URL carries the launch
 * it handed out (`shareTicket`, or `enterId` for a single chat) and the sandbox answers the same
 * encrypted payload for the simulated buyer.
 */
import Taro from '@tarojs/taro';
import type { EncryptedGroupInfo } from '@chatmall/shared';
import { api, signedIn } from '../services/api';
import { h5Openid } from '../services/session';

export type ChatInfo =
  /** Opened outside a chat (or a chat without a ticket): nothing to send. */
  | { kind: 'none' }
  | { kind: 'chat'; group: EncryptedGroupInfo }
  /** 65206: WeChat says this buyer is not (or no longer) in the group the card came from. */
  | { kind: 'not-member' };

/** The launch as the H5 URL carries it (the mini-program reads it from WeChat instead). */
export interface H5Launch {
  shareTicket?: string;
  enterId?: string;
}

function errCodeOf(err: unknown): number | null {
  const e = err as { errno?: unknown; errCode?: unknown; errcode?: unknown; errMsg?: unknown } | undefined;
  for (const v of [e?.errno, e?.errCode, e?.errcode]) if (typeof v === 'number') return v;
  const m = /\b(40097|65206)\b/.exec(String(e?.errMsg ?? ''));
  return m ? Number(m[1]) : null;
}

function fromWechat(res: unknown): EncryptedGroupInfo | null {
  const r = res as { iv?: unknown; encryptedData?: unknown } | undefined;
  return typeof r?.iv === 'string' && typeof r.encryptedData === 'string' && r.iv && r.encryptedData
    ? { iv: r.iv, encryptedData: r.encryptedData }
    : null;
}

async function weappChat(): Promise<ChatInfo> {
  const launch =
    typeof Taro.getEnterOptionsSync === 'function' ? Taro.getEnterOptionsSync() : Taro.getLaunchOptionsSync();
  const shareTicket = (launch as { shareTicket?: string }).shareTicket;
  if (!shareTicket) return { kind: 'none' };
  try {
    const res = Taro.canIUse('getGroupEnterInfo')
      ? await Taro.getGroupEnterInfo({})
      : await Taro.getShareInfo({ shareTicket });
    const group = fromWechat(res);
    return group ? { kind: 'chat', group } : { kind: 'none' };
  } catch (err) {
    if (errCodeOf(err) === 65206) return { kind: 'not-member' };
    return { kind: 'none' }; // 40097 and the like: not a group launch after all
  }
}

async function h5Chat(launch: H5Launch): Promise<ChatInfo> {
  if (!launch.shareTicket && !launch.enterId) return { kind: 'none' };
  const { wechatSandboxUrl } = await api.clientConfig({});
  if (!wechatSandboxUrl) return { kind: 'none' };
  const res = await Taro.request({
    url: `${wechatSandboxUrl.replace(/\/$/, '')}/sandbox/mp/users/${encodeURIComponent(h5Openid())}/group-enter-info`,
    method: 'POST',
    header: { accept: 'application/json', 'content-type': 'application/json' },
    data: launch.shareTicket ? { shareTicket: launch.shareTicket } : { enterId: launch.enterId },
    dataType: 'json',
    timeout: 15_000,
  });
  if (res.statusCode === 200) {
    const group = fromWechat(res.data);
    if (group) return { kind: 'chat', group };
  }
  return errCodeOf(res.data) === 65206 ? { kind: 'not-member' } : { kind: 'none' };
}

/**
 * The encrypted chat of this launch, read after signing in (the payload is sealed with the
 * session key the sign-in gave the server). Read afresh for each call that sends it: the
 * server refuses a payload older than ten minutes.
 */
export async function readChat(launch: H5Launch): Promise<ChatInfo> {
  await signedIn();
  return process.env.TARO_ENV === 'h5' ? h5Chat(launch) : weappChat();
}

/** Groups the simulated buyer is in (H5 share sheet); empty when there is no sandbox. */
export async function h5Groups(): Promise<{ id: string; name: string; members: string[] }[]> {
  const { wechatSandboxUrl } = await api.clientConfig({});
  if (!wechatSandboxUrl) return [];
  const res = await Taro.request({
    url: `${wechatSandboxUrl.replace(/\/$/, '')}/sandbox/mp/users/${encodeURIComponent(h5Openid())}/chats`,
    method: 'GET',
    dataType: 'json',
    timeout: 15_000,
  });
  if (res.statusCode !== 200) throw new Error(`沙箱群聊不可用 · Sandbox chats unavailable (${res.statusCode})`);
  return (res.data as { groups: { id: string; name: string; members: string[] }[] }).groups;
}

/** H5: the simulated buyer shares the card into a sandbox group (what WeChat's share sheet does). */
export async function h5ShareToGroup(
  groupId: string,
  card: { path: string; title: string; imageUrl?: string | null },
): Promise<void> {
  const { wechatSandboxUrl } = await api.clientConfig({});
  if (!wechatSandboxUrl) throw new Error('H5 无法分享 · Sharing is not available in the browser');
  const res = await Taro.request({
    url: `${wechatSandboxUrl.replace(/\/$/, '')}/sandbox/mp/users/${encodeURIComponent(h5Openid())}/share`,
    method: 'POST',
    header: { accept: 'application/json', 'content-type': 'application/json' },
    data: { groupId, path: card.path, title: card.title, imageUrl: card.imageUrl ?? undefined, withShareTicket: true },
    dataType: 'json',
    timeout: 15_000,
  });
  if (res.statusCode !== 200)
    throw new Error(`分享失败 · Share failed: ${(res.data as { error?: string } | null)?.error ?? res.statusCode}`);
}
