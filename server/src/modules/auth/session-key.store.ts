/**
 * The durable store of buyers' WeChat session keys (`buyer_session_keys`), encrypted with
 * AES-256-GCM under the configured key. The protocol layer sees it only as
 * `DurableSessionKeys`; Redis caches it (`cachedSessionKeys`).
 */
import type { DataSource } from 'typeorm';
import type { DurableSessionKeys } from '../../wechat/miniprogram/session-keys';
import { BuyerSessionKeyEntity } from './buyer-session-key.entity';
import type { SessionKeyCipher } from './session-key-cipher';

export class DbSessionKeys implements DurableSessionKeys {
  constructor(
    private readonly db: DataSource,
    private readonly appId: string,
    private readonly cipher: SessionKeyCipher,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Binds a sealed value to its row: it opens only as this app's key for this openid. */
  private aad(openid: string): string {
    return `buyer_session_keys:${this.appId}:${openid}`;
  }

  async get(openid: string): Promise<{ sessionKey: string; expiresAt: Date } | null> {
    const row = await this.db.getRepository(BuyerSessionKeyEntity).findOneBy({ appId: this.appId, openid });
    if (!row || row.expiresAt <= this.now()) return null;
    const sessionKey = this.cipher.open({ ciphertext: row.ciphertext, keyId: row.keyId }, this.aad(openid));
    // A row no configured key opens (the key that sealed it was dropped) is as good as none:
    // the buyer's next sign-in writes a fresh one.
    return sessionKey === null ? null : { sessionKey, expiresAt: row.expiresAt };
  }

  /** Insert or replace, always under the current key (so a rotation re-encrypts on the next sign-in). */
  async put(openid: string, sessionKey: string, expiresAt: Date): Promise<void> {
    const sealed = this.cipher.seal(sessionKey, this.aad(openid));
    await this.db
      .getRepository(BuyerSessionKeyEntity)
      .upsert(
        { appId: this.appId, openid, ciphertext: sealed.ciphertext, keyId: sealed.keyId, expiresAt },
        { conflictPaths: ['appId', 'openid'] },
      );
  }
}
