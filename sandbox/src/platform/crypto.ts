/**
 * The sandbox's own WeChat crypto, written apart from the server's on purpose: an emulator
 * that shared the code under test would agree with its bugs. Same rules (WECHAT-PROTOCOL.md
 * §1.3, §3): sorted SHA-1, AES-256-CBC with 32-byte PKCS#7, AES-128-CBC for the mini-program.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const sha1Sorted = (...parts: string[]) =>
  createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');

const keyOf = (encodingAesKey: string) => Buffer.from(`${encodingAesKey}=`, 'base64');

export function oaEncrypt(encodingAesKey: string, appId: string, message: string): string {
  const key = keyOf(encodingAesKey);
  const body = Buffer.from(message);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const raw = Buffer.concat([randomBytes(16), len, body, Buffer.from(appId)]);
  const pad = 32 - (raw.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([raw, Buffer.alloc(pad, pad)])), cipher.final()]).toString(
    'base64',
  );
}

/** Returns undefined for anything that is not a well-formed ciphertext. */
export function oaDecrypt(encodingAesKey: string, encrypted: string): { message: string; appId: string } | undefined {
  try {
    const key = keyOf(encodingAesKey);
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    const raw = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
    const pad = raw[raw.length - 1];
    if (pad < 1 || pad > 32) return undefined;
    const plain = raw.subarray(0, raw.length - pad);
    const len = plain.readUInt32BE(16);
    return { message: plain.subarray(20, 20 + len).toString(), appId: plain.subarray(20 + len).toString() };
  } catch {
    return undefined;
  }
}

export function mpEncrypt(sessionKey: string, plaintext: string): { iv: string; encryptedData: string } {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), iv);
  return {
    iv: iv.toString('base64'),
    encryptedData: Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64'),
  };
}
