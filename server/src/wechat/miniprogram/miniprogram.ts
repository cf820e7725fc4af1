/**
 * Mini-program login and encrypted data. The session_key from code2Session stays on the
 * server (a `SessionKeyStore`, keyed by openid: durable, with Redis as its cache); the client
 * only ever gets our own session.
 * Group identity comes in two shapes: getShareInfo → `openGId`, getGroupEnterInfo → `opengid`.
 */
import { decryptMiniProgramData, type Watermark } from '../crypto/miniprogram-crypt';
import type { WechatClient } from '../api/client';
import type { WechatResult } from '../api/errors';
import type { SessionKeyStore } from './session-keys';

export interface MiniProgramLogin {
  openid: string;
  unionid?: string;
}

export type EncryptedPayload = { iv: string; encryptedData: string };

export type GroupPayload = { openGId?: string; opengid?: string; watermark?: Watermark } & Record<string, unknown>;

/** session_key lives a few days at most; WeChat rotates it on the next wx.login anyway. */
const SESSION_KEY_TTL_MS = 3 * 24 * 3600_000;
/** Encrypted data older than this is a replay. */
export const DEFAULT_MAX_PAYLOAD_AGE_SECONDS = 10 * 60;

export type MiniProgramDataOutcome<T> =
  { ok: true; data: T } | { ok: false; reason: 'no-session' | 'malformed' | 'wrong-appid' | 'stale' };

export class MiniProgramApi {
  constructor(
    readonly client: WechatClient,
    private readonly sessionKeys: SessionKeyStore,
  ) {}

  /** code2Session: a code works once (40163 after), 40029 when unknown. */
  async login(code: string): Promise<WechatResult<MiniProgramLogin>> {
    const answer = await this.client.withSecret<{ openid: string; session_key: string; unionid?: string }>(
      '/sns/jscode2session',
      { js_code: code, grant_type: 'authorization_code' },
    );
    if (!answer.ok) return answer;
    const { openid, session_key: sessionKey, unionid } = answer.value;
    await this.sessionKeys.put(openid, sessionKey, SESSION_KEY_TTL_MS);
    return { ok: true, value: { openid, unionid } };
  }

  /** Decrypts data the client got from wx.* with this user's session key; watermark checked. */
  async decryptFor<T extends { watermark?: Watermark }>(
    openid: string,
    payload: EncryptedPayload,
    maxAgeSeconds = DEFAULT_MAX_PAYLOAD_AGE_SECONDS,
  ): Promise<MiniProgramDataOutcome<T>> {
    const sessionKey = await this.sessionKeys.get(openid);
    if (!sessionKey) return { ok: false, reason: 'no-session' };
    return decryptMiniProgramData<T>({ sessionKey, ...payload }, { appId: this.client.appId, maxAgeSeconds });
  }

  /** The group a share was opened in, from either payload shape. */
  async groupOf(openid: string, payload: EncryptedPayload): Promise<MiniProgramDataOutcome<{ groupId: string }>> {
    const out = await this.decryptFor<GroupPayload>(openid, payload);
    if (!out.ok) return out;
    const groupId = groupIdOf(out.data);
    return groupId ? { ok: true, data: { groupId } } : { ok: false, reason: 'malformed' };
  }

  /** Subscribe message: 43101 when the user has not (or no longer) agreed to this template. */
  sendSubscribeMessage(m: {
    touser: string;
    templateId: string;
    page?: string;
    data: Record<string, string>;
    state?: 'developer' | 'trial' | 'formal';
  }): Promise<WechatResult<{ errcode?: number; msgid?: number }>> {
    return this.client.post('/cgi-bin/message/subscribe/send', {
      touser: m.touser,
      template_id: m.templateId,
      page: m.page,
      miniprogram_state: m.state,
      lang: 'zh_CN',
      data: Object.fromEntries(Object.entries(m.data).map(([k, value]) => [k, { value }])),
    });
  }
}

export function groupIdOf(payload: GroupPayload): string | undefined {
  const id = payload.openGId ?? payload.opengid;
  return typeof id === 'string' && id ? id : undefined;
}
