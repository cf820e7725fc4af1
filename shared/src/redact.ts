/**
 * Personal data and secrets out of log lines: the second line of defence behind code that
 * never logs them in the first place. Pure string and object scrubbing, so the server's and
 * the sandbox's loggers share it.
 */

/** Keys whose values are never logged, whatever they hold. */
const SECRET_KEYS =
  /^(password|passwordHash|password_hash|phone|mobile|recipient|address|detail|accessToken|refreshToken|token|sessionKey|session_key|secret|apiKey|apiV3Key|privateKey|authorization|cookie|encryptedData|iv|parameters|query|sql|sqlMessage)$/i;

const TEXT_PATTERNS: [RegExp, string][] = [
  // PEM blocks (keys, certificates).
  [/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, '[key]'],
  // Our password hashes: scrypt$N$r$p$salt$hash.
  [/scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+/g, '[hash]'],
  // Our session tokens and any bearer credential.
  [/\b(?:at|rt)_[\w-]{20,}/g, '[token]'],
  [/Bearer\s+\S+/gi, 'Bearer [token]'],
  // Mainland mobile numbers, alone in their run of digits (order numbers are longer runs).
  [/(?<!\d)1[3-9]\d{9}(?!\d)/g, '[phone]'],
  // Long base64 or hex runs: keys, hashes, ciphertexts.
  [/[A-Za-z0-9+/]{40,}={0,2}/g, '[secret]'],
];

export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of `value` with secret keys censored and every string scrubbed (depth-limited). */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  // Errors are left to the logger's error serializer, which knows what of them is safe.
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : scrubValue(v, depth + 1);
  return out;
}
