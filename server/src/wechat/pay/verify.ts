/**
 * Verifies a message signed by WeChat Pay (an API response or a notification) on the raw
 * bytes received: all four headers present, timestamp within ±300 s, not a
 * `WECHATPAY/SIGNTEST/` probe, key chosen by `Wechatpay-Serial`, RSA-SHA256 valid.
 * https://pay.weixin.qq.com/docs/merchant/development/interface-rules/signature-verification.html
 */
import { responseSignMessage, rsaVerify } from './crypto';
import type { PlatformKeyring } from './keyring';

export const MAX_CLOCK_SKEW_SECONDS = 300;

export type SignatureRejection =
  'MISSING_HEADERS' | 'SIGNTEST_PROBE' | 'STALE_TIMESTAMP' | 'UNKNOWN_SERIAL' | 'BAD_SIGNATURE';

export type SignatureCheck = { ok: true; serial: string } | { ok: false; reason: SignatureRejection; message: string };

/** Header values by lower-case name (Koa's `ctx.headers`, or `headersOf(fetchResponse)`). */
export type HeaderBag = Record<string, string | string[] | undefined>;

export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export interface SignatureInput {
  headers: HeaderBag;
  /** The body exactly as received: never re-serialised JSON. */
  body: Buffer | string;
}

export interface VerifyOptions {
  now?: () => number;
  /**
   * Called once when the serial is unknown (e.g. to download rotated platform certificates);
   * the lookup is retried after it resolves.
   */
  onUnknownSerial?: (serial: string) => Promise<void>;
}

export async function verifyWechatpaySignature(
  input: SignatureInput,
  keyring: PlatformKeyring,
  opts: VerifyOptions = {},
): Promise<SignatureCheck> {
  const timestamp = headerValue(input.headers, 'wechatpay-timestamp');
  const nonce = headerValue(input.headers, 'wechatpay-nonce');
  const signature = headerValue(input.headers, 'wechatpay-signature');
  const serial = headerValue(input.headers, 'wechatpay-serial');
  if (!timestamp || !nonce || !signature || !serial) {
    return {
      ok: false,
      reason: 'MISSING_HEADERS',
      message: 'Wechatpay-Timestamp, -Nonce, -Signature and -Serial are required',
    };
  }
  // WeChat Pay sends deliberately wrong signatures to check that merchants verify; refuse them.
  if (signature.startsWith('WECHATPAY/SIGNTEST/')) {
    return { ok: false, reason: 'SIGNTEST_PROBE', message: 'signature probe (WECHATPAY/SIGNTEST/) refused' };
  }
  const nowSeconds = Math.floor((opts.now?.() ?? Date.now()) / 1000);
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) >= MAX_CLOCK_SKEW_SECONDS) {
    return {
      ok: false,
      reason: 'STALE_TIMESTAMP',
      message: `timestamp ${timestamp} is not within ${MAX_CLOCK_SKEW_SECONDS} s of now`,
    };
  }
  let key = keyring.get(serial);
  if (!key && opts.onUnknownSerial) {
    await opts.onUnknownSerial(serial);
    key = keyring.get(serial);
  }
  if (!key)
    return {
      ok: false,
      reason: 'UNKNOWN_SERIAL',
      message: `no platform certificate or public key with serial ${serial}`,
    };
  if (!rsaVerify(responseSignMessage(timestamp, nonce, input.body), signature, key)) {
    return { ok: false, reason: 'BAD_SIGNATURE', message: 'signature does not match the body' };
  }
  return { ok: true, serial };
}
