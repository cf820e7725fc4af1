/**
 * WXBizMsgCrypt, the official-account safe-mode cipher: AES-256-CBC, key = base64(EncodingAESKey
 * + "="), IV = key[0:16], PKCS#7 padding to 32-byte blocks (not 16: Node's automatic padding
 * must be off), plaintext = random(16) ‖ length (4 bytes BE) ‖ message ‖ appid.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { sortedSha1 } from './signature';

const BLOCK = 32;

export type DecryptOutcome =
  | { ok: true; message: string; appId: string; key: 'current' | 'previous' }
  | { ok: false; reason: 'malformed' | 'wrong-appid' };

export interface MessageCryptOptions {
  token: string;
  encodingAesKey: string;
  appId: string;
  /** The key before the last rotation: pushes still in flight may use it. */
  previousEncodingAesKey?: string;
}

export function aesKeyFrom(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey)) {
    // Never echo the key itself: it is a secret.
    throw new Error('EncodingAESKey must be 43 characters from [A-Za-z0-9]');
  }
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

export function pkcs7Pad(data: Buffer, block = BLOCK): Buffer {
  const n = block - (data.length % block);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

/** Returns undefined when the padding is not valid PKCS#7 for this block size. */
export function pkcs7Unpad(data: Buffer, block = BLOCK): Buffer | undefined {
  if (data.length === 0 || data.length % 16 !== 0) return undefined;
  const n = data[data.length - 1];
  if (n < 1 || n > block || n > data.length) return undefined;
  for (let i = data.length - n; i < data.length; i++) if (data[i] !== n) return undefined;
  return data.subarray(0, data.length - n);
}

export class MessageCrypt {
  private readonly keys: { name: 'current' | 'previous'; key: Buffer }[];

  constructor(private readonly opts: MessageCryptOptions) {
    this.keys = [{ name: 'current', key: aesKeyFrom(opts.encodingAesKey) }];
    if (opts.previousEncodingAesKey) {
      this.keys.push({ name: 'previous', key: aesKeyFrom(opts.previousEncodingAesKey) });
    }
  }

  get appId(): string {
    return this.opts.appId;
  }

  /** `signature` on every push and on URL verification. */
  signature(timestamp: string, nonce: string): string {
    return sortedSha1(this.opts.token, timestamp, nonce);
  }

  /** `msg_signature` of a safe-mode push and `MsgSignature` of an encrypted reply. */
  msgSignature(timestamp: string, nonce: string, encrypted: string): string {
    return sortedSha1(this.opts.token, timestamp, nonce, encrypted);
  }

  /** Encrypts with the current key, or the previous one when the push came in under it. */
  encrypt(message: string, opts: { random?: Buffer; key?: 'current' | 'previous' } = {}): string {
    const key = (this.keys.find((k) => k.name === (opts.key ?? 'current')) ?? this.keys[0]).key;
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length, 0);
    const plain = pkcs7Pad(
      Buffer.concat([opts.random ?? randomBytes(16), length, body, Buffer.from(this.opts.appId, 'utf8')]),
    );
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
  }

  decrypt(encrypted: string): DecryptOutcome {
    const data = Buffer.from(encrypted, 'base64');
    if (data.length === 0 || data.length % BLOCK !== 0) return { ok: false, reason: 'malformed' };
    let sawOtherAppId = false;
    for (const { name, key } of this.keys) {
      const opened = openWith(key, data);
      if (!opened) continue;
      if (opened.appId === this.opts.appId)
        return { ok: true, message: opened.message, appId: opened.appId, key: name };
      sawOtherAppId = true;
    }
    return { ok: false, reason: sawOtherAppId ? 'wrong-appid' : 'malformed' };
  }
}

function openWith(key: Buffer, data: Buffer): { message: string; appId: string } | undefined {
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const unpadded = pkcs7Unpad(Buffer.concat([decipher.update(data), decipher.final()]));
  if (!unpadded || unpadded.length < 20) return undefined;
  const length = unpadded.readUInt32BE(16);
  if (20 + length > unpadded.length) return undefined;
  return {
    message: unpadded.subarray(20, 20 + length).toString('utf8'),
    appId: unpadded.subarray(20 + length).toString('utf8'),
  };
}
