import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A buyer's current WeChat session key (code2Session's `session_key`), encrypted at rest
 * (`session-key-cipher.ts`). The durable copy behind the Redis cache: it survives a Redis
 * restart, so group payloads can still be decrypted. One row per buyer of the mini-program,
 * replaced on each sign-in. Written only by the auth module.
 */
@Entity('buyer_session_keys')
export class BuyerSessionKeyEntity {
  @PrimaryColumn({ name: 'app_id', type: 'varchar', length: 32 })
  appId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  openid!: string;

  /** base64 of nonce ‖ GCM tag ‖ ciphertext; never the key in clear. */
  @Column({ type: 'varchar', length: 128 })
  ciphertext!: string;

  /** Fingerprint of the encryption key that sealed it (rows under an old key show after a rotation). */
  @Column({ name: 'key_id', type: 'varchar', length: 16 })
  keyId!: string;

  /** After this the key is no longer used (WeChat rotates it on the next wx.login anyway). */
  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
