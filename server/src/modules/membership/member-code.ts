/**
 * The rotating member code (docs/decisions/0031-member-code.md): 24 digits a QR code and a
 * Code 128 barcode both carry, and a clerk's scanner types as keys:
 *   member number (10) · the second it was made, mod 100000 (5) · nonce (3) · HMAC (6)
 * The HMAC (SHA-256, keyed by the member's own secret) covers the member id, the full second
 * and the nonce, so a changed digit anywhere fails it. Valid for 60 s from that second and
 * usable once: the use is a row under a unique (member, second:nonce) index.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export const CODE_VALID_SECONDS = 60;
const STEP_MOD = 100_000;

function mac(secret: string, memberId: string, step: number, nonce: string): string {
  const h = createHmac('sha256', Buffer.from(secret, 'hex')).update(`${memberId}:${step}:${nonce}`).digest();
  return String(h.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

export function makeMemberCode(
  m: { id: string; memberNo: string; codeSecret: string },
  now = Date.now(),
): { code: string; step: number; expiresAt: Date } {
  const step = Math.floor(now / 1000);
  const nonce = String(randomInt(0, 1000)).padStart(3, '0');
  const code = `${m.memberNo}${String(step % STEP_MOD).padStart(5, '0')}${nonce}${mac(m.codeSecret, m.id, step, nonce)}`;
  return { code, step, expiresAt: new Date((step + CODE_VALID_SECONDS) * 1000) };
}

export interface ParsedCode {
  memberNo: string;
  /** The full second the code was made, the latest one ≤ now that matches its 5 digits. */
  step: number;
  nonce: string;
  mac: string;
}

export function parseMemberCode(code: string, now = Date.now()): ParsedCode | null {
  const m = /^(\d{10})(\d{5})(\d{3})(\d{6})$/.exec(code);
  if (!m) return null;
  const nowStep = Math.floor(now / 1000);
  const back = (((nowStep - Number(m[2])) % STEP_MOD) + STEP_MOD) % STEP_MOD;
  return { memberNo: m[1], step: nowStep - back, nonce: m[3], mac: m[4] };
}

export type CodeVerdict = 'OK' | 'FORGED' | 'EXPIRED';

export function checkMemberCode(
  parsed: ParsedCode,
  m: { id: string; codeSecret: string },
  now = Date.now(),
): CodeVerdict {
  const want = Buffer.from(mac(m.codeSecret, m.id, parsed.step, parsed.nonce));
  if (!timingSafeEqual(want, Buffer.from(parsed.mac))) return 'FORGED';
  if (Math.floor(now / 1000) - parsed.step >= CODE_VALID_SECONDS) return 'EXPIRED';
  return 'OK';
}
