import { scrubText, scrubValue } from '@chatmall/shared';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * One pino logger per process. Code must not log personal data or secrets in the first
 * place; this is the second line of defence: every log object is scrubbed (secret keys
 * censored, phones, hashes, tokens and keys masked in strings), and errors are serialized
 * without the SQL text or parameters a failed query carries.
 */
export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      serializers: { err: safeError },
      formatters: { log: (obj) => scrubValue(obj) as Record<string, unknown> },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', '*.DATABASE_URL', '*.REDIS_URL'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

interface DriverError {
  code?: string;
  errno?: number;
  sqlState?: string;
}

/** `INSERT addresses`, `UPDATE orders`: what a failed statement was, without its text. */
function statementOf(query: unknown): string | undefined {
  if (typeof query !== 'string') return undefined;
  const m = /^\s*(insert(?:\s+(?:ignore|or\s+ignore))?\s+into|update|delete\s+from|select|replace\s+into)\s+[`"]?(\w+)/i.exec(
    query,
  );
  return m ? `${m[1].split(/\s+/)[0].toUpperCase()} ${m[2]}` : query.trim().split(/\s+/)[0]?.toUpperCase();
}

/**
 * An error as a log line may show it. A failed query keeps its kind, table and error code,
 * never its SQL, parameters or the driver's message (which quotes values: "Duplicate entry
 * '138…'"); other errors keep their (scrubbed) message and stack.
 */
export function safeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: scrubText(String(err)) };
  const e = err as Error & { query?: unknown; driverError?: DriverError; code?: unknown; errno?: unknown };
  const driver = e.driverError ?? (e.name === 'QueryFailedError' ? (e as DriverError) : undefined);
  if (e.name === 'QueryFailedError' || e.query !== undefined || driver) {
    const code = driver?.code ?? (typeof e.code === 'string' ? e.code : undefined);
    const statement = statementOf(e.query);
    return {
      type: e.name,
      code,
      errno: driver?.errno,
      sqlState: driver?.sqlState,
      statement,
      message: `${code ?? 'database error'}${statement ? ` on ${statement}` : ''}`,
    };
  }
  return {
    type: e.name,
    message: scrubText(e.message),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    stack: e.stack ? scrubText(e.stack) : undefined,
  };
}

/** The message of an error, safe for a log line (see `safeError`). */
export function safeErrorMessage(err: unknown): string {
  return String(safeError(err).message);
}
