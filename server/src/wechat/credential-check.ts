/**
 * Tries configured WeChat credentials against WeChat itself, for the merchant's credential
 * check. Protocol only: what WeChat answered, as typed outcomes; the words come from the
 * module that shows them. Nothing here returns or logs a secret.
 *
 * - An app (official account or mini-program): `POST /cgi-bin/stable_token` with its appid
 *   and secret. stable_token (not `/cgi-bin/token`) because it neither invalidates the token
 *   the running processes use nor counts against the classic 2000-a-day quota; a wrong
 *   secret answers 40125, an unknown appid 40013.
 * - WeChat Pay: one signed `GET /v3/certificates`. WeChat verifies the signature with the
 *   merchant certificate named by the serial (401 SIGN_ERROR when the private key and the
 *   serial do not belong together); each certificate in the answer is AEAD-encrypted with the
 *   APIv3 key (a failed GCM tag means the key is wrong); and the answer itself is signed by a
 *   platform certificate or the WeChat Pay public key, which shows that key is right.
 */
import crypto from 'node:crypto';
import { WechatClient } from './api/client';
import type { WechatError } from './api/errors';
import { aeadDecrypt, signRequest, unixSeconds, type AeadResource } from './pay/crypto';
import { fetchHttp, type HttpFunction, type HttpResponse } from './pay/http';
import { PlatformKeyring } from './pay/keyring';
import { verifyWechatpaySignature, type SignatureRejection } from './pay/verify';
import { memoryStore } from './store';

export type AppCredentialOutcome = { ok: true } | { ok: false; error: WechatError };

export async function checkAppCredentials(opts: {
  baseUrl: string;
  appId: string;
  secret: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): Promise<AppCredentialOutcome> {
  // A client of its own with a throwaway store: the shared token cache is never consulted
  // (a cached token would hide a secret changed since) nor overwritten.
  const client = new WechatClient({ ...opts, store: memoryStore(), timeoutMs: opts.timeoutMs ?? 8000 });
  const answer = await client.request<{ access_token?: string }>('POST', '/cgi-bin/stable_token', {
    body: { grant_type: 'client_credential', appid: opts.appId, secret: opts.secret, force_refresh: false },
  });
  return answer.ok ? { ok: true } : { ok: false, error: answer.error };
}

export interface PayCredentials {
  apiBase: string;
  mchid: string;
  /** Read lazily by the caller: a key that cannot be read is reported, not thrown. */
  merchantSerial: () => string;
  merchantPrivateKeyPem: () => string;
  apiV3Key: Buffer;
  /** Public-key mode: the `PUB_KEY_ID_…` and its PEM (empty in certificate-only mode). */
  publicKeyId: () => string;
  publicKeyPem: () => string;
}

export type MerchantKeyOutcome =
  | { ok: true }
  | { ok: false; reason: 'KEY_UNREADABLE' }
  | { ok: false; reason: 'UNREACHABLE' }
  /** WeChat Pay refused the request: `SIGN_ERROR` (key/serial), or another code with its HTTP status. */
  | { ok: false; reason: 'REFUSED'; status: number; code: string };

export type ApiV3KeyOutcome =
  | { ok: true; certificates: number }
  | { ok: false; reason: 'DECRYPT_FAILED' }
  /** Public-key-only merchants get `{"data":[]}`: nothing is encrypted with the key here. */
  | { skipped: 'NO_CERTIFICATES' | 'NOT_REACHED' };

export type PlatformKeyOutcome =
  | { ok: true; serial: string }
  | { ok: false; reason: SignatureRejection | 'PUBLIC_KEY_UNREADABLE' }
  /** Not reached, or signed by a certificate that only a right APIv3 key could have decrypted. */
  | { skipped: 'NOT_REACHED' | 'NEEDS_APIV3_KEY' };

export interface PayCredentialOutcome {
  merchantKey: MerchantKeyOutcome;
  apiV3Key: ApiV3KeyOutcome;
  platformKey: PlatformKeyOutcome;
}

interface CertificateEntry {
  serial_no?: string;
  encrypt_certificate?: AeadResource;
}

export async function checkPayCredentials(
  pay: PayCredentials,
  opts: { http?: HttpFunction; now?: () => number } = {},
): Promise<PayCredentialOutcome> {
  const notReached = { apiV3Key: { skipped: 'NOT_REACHED' }, platformKey: { skipped: 'NOT_REACHED' } } as const;
  const now = opts.now ?? Date.now;
  let serial: string;
  let privateKey: crypto.KeyObject;
  try {
    serial = pay.merchantSerial();
    privateKey = crypto.createPrivateKey(pay.merchantPrivateKeyPem());
  } catch {
    return { merchantKey: { ok: false, reason: 'KEY_UNREADABLE' }, ...notReached };
  }

  // Public-key mode: naming the key id asks WeChat Pay to sign its answer with that key, so
  // the check covers the key the merchant's requests and notifications are verified with.
  const keyring = new PlatformKeyring();
  let publicKeyId: string;
  let publicKeyUnreadable = false;
  try {
    publicKeyId = pay.publicKeyId();
    if (publicKeyId) keyring.addPublicKey(publicKeyId, pay.publicKeyPem());
  } catch {
    publicKeyId = '';
    publicKeyUnreadable = true;
  }

  const path = '/v3/certificates';
  let res: HttpResponse;
  try {
    res = await (opts.http ?? fetchHttp(8000))({
      method: 'GET',
      url: `${pay.apiBase}${path}`,
      headers: {
        Accept: 'application/json',
        'User-Agent': 'chatmall-wechatpay/1',
        Authorization: signRequest({
          method: 'GET',
          pathWithQuery: path,
          body: '',
          mchid: pay.mchid,
          merchantSerial: serial,
          merchantPrivateKey: privateKey,
          timestamp: unixSeconds(new Date(now())),
        }),
        ...(publicKeyId ? { 'Wechatpay-Serial': publicKeyId } : {}),
      },
    });
  } catch {
    return { merchantKey: { ok: false, reason: 'UNREACHABLE' }, ...notReached };
  }
  const body = parseJson<{ code?: string; data?: CertificateEntry[] }>(res.body);
  if (res.status !== 200) {
    return {
      merchantKey: { ok: false, reason: 'REFUSED', status: res.status, code: body.code ?? `HTTP_${res.status}` },
      ...notReached,
    };
  }

  // The APIv3 key: every certificate must decrypt with its GCM tag verified.
  const entries = body.data ?? [];
  let apiV3Key: ApiV3KeyOutcome = entries.length
    ? { ok: true, certificates: entries.length }
    : { skipped: 'NO_CERTIFICATES' };
  for (const entry of entries) {
    try {
      keyring.addCertificate(aeadDecrypt(pay.apiV3Key, entry.encrypt_certificate ?? { ciphertext: '', nonce: '' }));
    } catch {
      apiV3Key = { ok: false, reason: 'DECRYPT_FAILED' };
      break;
    }
  }

  // What WeChat Pay signs with: the certificates just decrypted and the configured public key.
  let platformKey: PlatformKeyOutcome | undefined;
  if (publicKeyUnreadable) platformKey = { ok: false, reason: 'PUBLIC_KEY_UNREADABLE' };
  else {
    const check = await verifyWechatpaySignature({ headers: res.headers, body: res.body }, keyring, { now });
    platformKey = check.ok
      ? { ok: true, serial: check.serial }
      : check.reason === 'UNKNOWN_SERIAL' && 'ok' in apiV3Key && !apiV3Key.ok
        ? { skipped: 'NEEDS_APIV3_KEY' }
        : { ok: false, reason: check.reason };
  }
  return { merchantKey: { ok: true }, apiV3Key, platformKey };
}

function parseJson<T extends object>(body: Buffer): Partial<T> {
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return v && typeof v === 'object' ? (v as Partial<T>) : {};
  } catch {
    return {};
  }
}
