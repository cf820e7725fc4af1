import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * One pino logger per process. Redaction is a second line of defence: code must not
 * log secrets in the first place, but headers and config blobs are scrubbed anyway.
 */
export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.secret',
        '*.apiKey',
        '*.privateKey',
        '*.DATABASE_URL',
        '*.REDIS_URL',
      ],
      censor: '[redacted]',
    },
  });
}
