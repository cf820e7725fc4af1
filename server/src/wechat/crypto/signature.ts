/**
 * WeChat's signature scheme: sort the parts lexicographically, join, SHA-1, lowercase hex.
 * Used for URL verification (`signature`), safe-mode `msg_signature` and reply `MsgSignature`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

/** sha1(join(sort(parts))): the official-account and mini-program push signature. */
export function sortedSha1(...parts: string[]): string {
  return sha1Hex([...parts].sort().join(''));
}

/** Sorted parts joined with `&` (the JS-SDK `jsapi_ticket=…&noncestr=…` style). */
export function sortedSha1WithAmpersand(...parts: string[]): string {
  return sha1Hex([...parts].sort().join('&'));
}

/** Constant-time comparison of two hex signatures; a missing or odd-length one never matches. */
export function signatureMatches(expected: string, received: string | undefined): boolean {
  if (typeof received !== 'string' || received.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected, 'utf8'), Buffer.from(received.toLowerCase(), 'utf8'));
}
