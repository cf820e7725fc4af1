/**
 * The sandbox's own WeChat Pay crypto (deliberately not shared with the server: a test double
 * built from the same code as the thing it tests would agree with any mistake).
 */
import crypto, { type KeyObject } from 'node:crypto';

export const sign = (message: string | Buffer, key: KeyObject | string): string =>
  crypto.createSign('RSA-SHA256').update(message).sign(key, 'base64');

export function verify(message: string | Buffer, signature: string, key: KeyObject | string): boolean {
  try {
    return crypto.createVerify('RSA-SHA256').update(message).verify(key, signature, 'base64');
  } catch {
    return false;
  }
}

/** AEAD_AES_256_GCM: base64(ciphertext ‖ tag). */
export function seal(apiV3Key: string, nonce: string, associatedData: string, plaintext: string): string {
  const cipher = crypto.createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function randomString(length: number): string {
  const bytes = crypto.randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export const unixSeconds = (ms = Date.now()): string => String(Math.floor(ms / 1000));

/** RFC 3339 in Beijing time, as WeChat Pay writes times (`2018-06-08T10:34:56+08:00`). */
export function beijingTime(ms = Date.now()): string {
  return new Date(ms + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}
