/**
 * The sandbox's logger: the same scrubbing as the server's (shared/src/redact.ts), so the
 * phones, tokens and keys it plays with never reach its log either.
 */
import { scrubText, scrubValue } from '@chatmall/shared';
import pino, { type DestinationStream, type Logger } from 'pino';

export function createSandboxLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      name: 'sandbox',
      level,
      serializers: {
        err: (err: unknown) =>
          err instanceof Error
            ? { type: err.name, message: scrubText(err.message), stack: err.stack ? scrubText(err.stack) : undefined }
            : { message: scrubText(String(err)) },
      },
      formatters: { log: (obj) => scrubValue(obj) as Record<string, unknown> },
    },
    destination,
  );
}
