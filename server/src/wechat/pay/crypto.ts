/**
 * WeChat Pay v3 primitives: the signing strings, RSA-SHA256 (PKCS#1 v1.5) sign/verify and
 * AES-256-GCM with the tag checked. Pure functions over node:crypto, shared by the client,
 * the notification verifier and the tests.
 * https://pay.weixin.qq.com/docs/merchant/development/interface-rules/signature-generation.html
 */
import crypto, { type KeyObject } from 'node:crypto';

export type KeyInput = KeyObject | string | Buffer;

/** `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n`: every line ends in `\n`, an empty body too. */
export function requestSignMessage(
  method: string,
  pathWithQuery: string,
  timestamp: string,
  nonce: string,
  body: string,
): string {
  return `${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** `TIMESTAMP\nNONCE\nBODY\n` over the raw body as received (responses and notifications). */
export function responseSignMessage(timestamp: string, nonce: string, body: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), Buffer.from(body), Buffer.from('\n')]);
}

/** `appId\ntimeStamp\nnonceStr\npackage\n` for wx.requestPayment; signType is not signed. */
export function paySignMessage(appId: string, timeStamp: string, nonceStr: string, pkg: string): string {
  return `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;
}

export function rsaSign(message: string | Buffer, privateKey: KeyInput): string {
  return crypto.sign('sha256', Buffer.from(message), privateKey).toString('base64');
}

export function rsaVerify(message: string | Buffer, signatureBase64: string, publicKey: KeyInput): boolean {
  // A malformed key or signature is a failed verification, never a crash of the caller.
  try {
    return crypto.verify('sha256', Buffer.from(message), publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

export class ApiV3KeyError extends Error {
  constructor(length: number) {
    super(`the APIv3 key must be exactly 32 bytes (got ${length})`);
    this.name = 'ApiV3KeyError';
  }
}

/** The APIv3 key is the AES-256 key: 32 ASCII bytes, nothing else. */
export function apiV3KeyBytes(key: string | Buffer): Buffer {
  const bytes = Buffer.isBuffer(key) ? key : Buffer.from(key, 'utf8');
  if (bytes.length !== 32) throw new ApiV3KeyError(bytes.length);
  return bytes;
}

export class DecryptError extends Error {
  constructor() {
    // Deliberately vague: which part failed (key, nonce, AAD, tag) must not leak to callers.
    super('resource could not be decrypted (wrong APIv3 key, nonce, associated data or a tampered ciphertext)');
    this.name = 'DecryptError';
  }
}

export interface AeadResource {
  ciphertext: string;
  nonce: string;
  associated_data?: string;
}

/** AEAD_AES_256_GCM as WeChat Pay uses it: base64(ciphertext ‖ 16-byte tag); the tag must verify. */
export function aeadDecrypt(apiV3Key: Buffer, resource: AeadResource): string {
  try {
    const raw = Buffer.from(resource.ciphertext, 'base64');
    if (raw.length < 17) throw new DecryptError();
    const decipher = crypto.createDecipheriv('aes-256-gcm', apiV3Key, Buffer.from(resource.nonce, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    const plain = Buffer.concat([decipher.update(raw.subarray(0, raw.length - 16)), decipher.final()]);
    return plain.toString('utf8');
  } catch {
    throw new DecryptError();
  }
}

export function aeadEncrypt(apiV3Key: Buffer, nonce: string, associatedData: string, plaintext: string): string {
  const cipher = crypto.createCipheriv('aes-256-gcm', apiV3Key, Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([body, cipher.getAuthTag()]).toString('base64');
}

/** 32 characters of [0-9A-Z]: within nonceStr's 32-character limit. */
export function newNonce(): string {
  return crypto.randomBytes(16).toString('hex').toUpperCase();
}

export const unixSeconds = (now: Date = new Date()): string => String(Math.floor(now.getTime() / 1000));

export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

export interface AuthorizationFields {
  mchid: string;
  nonce_str: string;
  signature: string;
  timestamp: string;
  serial_no: string;
}

export function formatAuthorization(f: AuthorizationFields): string {
  return `${AUTH_SCHEMA} mchid="${f.mchid}",nonce_str="${f.nonce_str}",signature="${f.signature}",timestamp="${f.timestamp}",serial_no="${f.serial_no}"`;
}

/** Parses the five fields in any order (the docs fix no order); undefined when malformed. */
export function parseAuthorization(header: string | undefined): AuthorizationFields | undefined {
  if (!header?.startsWith(`${AUTH_SCHEMA} `)) return undefined;
  const fields: Record<string, string> = {};
  for (const m of header.slice(AUTH_SCHEMA.length + 1).matchAll(/(\w+)="([^"]*)"/g)) fields[m[1]] = m[2];
  const { mchid, nonce_str, signature, timestamp, serial_no } = fields;
  if (!mchid || !nonce_str || !signature || !timestamp || !serial_no) return undefined;
  return { mchid, nonce_str, signature, timestamp, serial_no };
}

export interface SignedRequest {
  method: string;
  pathWithQuery: string;
  body: string;
  mchid: string;
  merchantSerial: string;
  merchantPrivateKey: KeyInput;
  timestamp?: string;
  nonce?: string;
}

/** The `Authorization` header for a request whose exact body bytes are `body`. */
export function signRequest(r: SignedRequest): string {
  const timestamp = r.timestamp ?? unixSeconds();
  const nonce = r.nonce ?? newNonce();
  const signature = rsaSign(
    requestSignMessage(r.method, r.pathWithQuery, timestamp, nonce, r.body),
    r.merchantPrivateKey,
  );
  return formatAuthorization({ mchid: r.mchid, nonce_str: nonce, signature, timestamp, serial_no: r.merchantSerial });
}
