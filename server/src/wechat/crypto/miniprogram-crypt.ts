/**
 * Mini-program encrypted data (wx.getUserInfo, getShareInfo, getGroupEnterInfo, phone number):
 * AES-128-CBC with the user's session_key and the iv from the client, ordinary 16-byte PKCS#7.
 * Unlike the official-account cipher, the appid is not in the plaintext but in `watermark`.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { sha1Hex } from './signature';

export type MiniProgramDecryptOutcome<T> =
  { ok: true; data: T } | { ok: false; reason: 'malformed' | 'wrong-appid' | 'stale' };

export interface Watermark {
  appid: string;
  timestamp: number;
}

function keyAndIv(sessionKey: string, iv: string): { key: Buffer; iv: Buffer } | undefined {
  const key = Buffer.from(sessionKey, 'base64');
  const ivBytes = Buffer.from(iv, 'base64');
  return key.length === 16 && ivBytes.length === 16 ? { key, iv: ivBytes } : undefined;
}

export function encryptMiniProgramData(sessionKey: string, iv: string, plaintext: string): string {
  const k = keyAndIv(sessionKey, iv);
  if (!k) throw new Error('session key and iv must each be 16 bytes (base64)');
  const cipher = createCipheriv('aes-128-cbc', k.key, k.iv);
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/**
 * Decrypts and checks `watermark.appid` against ours. With `maxAgeSeconds`, a payload whose
 * watermark is older than that (relative to `nowSeconds`) is refused as stale (replay).
 */
export function decryptMiniProgramData<T extends { watermark?: Watermark }>(
  input: { sessionKey: string; iv: string; encryptedData: string },
  expect: { appId: string; maxAgeSeconds?: number; nowSeconds?: number },
): MiniProgramDecryptOutcome<T> {
  const k = keyAndIv(input.sessionKey, input.iv);
  if (!k) return { ok: false, reason: 'malformed' };
  let data: T;
  try {
    const decipher = createDecipheriv('aes-128-cbc', k.key, k.iv);
    const plain = Buffer.concat([decipher.update(Buffer.from(input.encryptedData, 'base64')), decipher.final()]);
    data = JSON.parse(plain.toString('utf8')) as T;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!data || typeof data !== 'object' || data.watermark?.appid !== expect.appId) {
    return { ok: false, reason: 'wrong-appid' };
  }
  if (expect.maxAgeSeconds !== undefined) {
    const now = expect.nowSeconds ?? Math.floor(Date.now() / 1000);
    if (!(now - Number(data.watermark.timestamp) <= expect.maxAgeSeconds)) return { ok: false, reason: 'stale' };
  }
  return { ok: true, data };
}

/** `signature` of wx.getUserInfo's rawData: sha1(rawData + session_key). */
export function rawDataSignature(rawData: string, sessionKey: string): string {
  return sha1Hex(rawData + sessionKey);
}
