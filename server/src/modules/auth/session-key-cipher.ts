/**
 * Buyers' WeChat session keys at rest: AES-256-GCM under a key from configuration
 * (SESSION_KEY_ENCRYPTION_KEY), with a fresh 12-byte nonce per write and the row's identity
 * (app id and openid) as associated data, so a sealed value copied onto another buyer's row
 * does not open. Each value records which key sealed it (a short fingerprint, not the key);
 * after a rotation the previous key (SESSION_KEY_PREVIOUS_ENCRYPTION_KEY) still opens old
 * rows, and every new write uses the current key.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  /** base64 of nonce ‖ tag ‖ ciphertext. */
  ciphertext: string;
  /** Fingerprint of the key that sealed it. */
  keyId: string;
}

interface Key {
  id: string;
  bytes: Buffer;
}

function keyOf(base64: string): Key {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length !== 32) throw new Error('a session-key encryption key must be 32 bytes (base64)');
  // A fingerprint of a 256-bit key reveals nothing usable about it; it only names it.
  const id = createHash('sha256').update('chatmall session-key kid\0').update(bytes).digest('hex').slice(0, 16);
  return { id, bytes };
}

export class SessionKeyCipher {
  private readonly current: Key;
  private readonly previous?: Key;

  constructor(keys: { key: string; previousKey?: string }) {
    this.current = keyOf(keys.key);
    this.previous = keys.previousKey ? keyOf(keys.previousKey) : undefined;
  }

  /** The fingerprint of the current key (rows with another `key_id` were written before a rotation). */
  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plaintext: string, associatedData: string): Sealed {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      ciphertext: Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64'),
      keyId: this.current.id,
    };
  }

  /** The plaintext, or null when no configured key opens it (wrong key, tampered, another row's). */
  open(sealed: Sealed, associatedData: string): string | null {
    const named = [this.current, this.previous].find((k) => k?.id === sealed.keyId);
    // An unknown key id is tried against both keys anyway (the GCM tag decides).
    const candidates = named ? [named] : [this.current, this.previous].filter((k): k is Key => !!k);
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    if (raw.length < NONCE_BYTES + TAG_BYTES) return null;
    for (const key of candidates) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.bytes, raw.subarray(0, NONCE_BYTES), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(Buffer.from(associatedData, 'utf8'));
        decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        // wrong key or tampered: try the next, if any
      }
    }
    return null;
  }
}
