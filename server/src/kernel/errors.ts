/**
 * Domain errors and the one mapping from any thrown value to an HTTP problem answer.
 * Handlers throw these (or let infrastructure errors bubble); they never set error
 * statuses by hand. Unknown errors become a 500 whose body has no stack, SQL or secret.
 */
import { ErrorCode, errorStatus, type FieldProblem, type Problem } from '@chatmall/shared';
import { isDuplicateKey } from './dialect';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldProblem[],
  ) {
    super(message);
    this.name = new.target.name;
  }
  get status(): number {
    return errorStatus[this.code];
  }
}

export class ValidationError extends AppError {
  constructor(fields: FieldProblem[], message = 'The request has invalid fields.') {
    super(ErrorCode.VALIDATION_FAILED, message, fields);
  }
}
export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in first.') {
    super(ErrorCode.UNAUTHENTICATED, message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this.') {
    super(ErrorCode.FORBIDDEN, message);
  }
}
export class NotFoundError extends AppError {
  constructor(what: string) {
    super(ErrorCode.NOT_FOUND, `${what} was not found.`);
  }
}
export class ConflictError extends AppError {
  constructor(message: string, fields?: FieldProblem[]) {
    super(ErrorCode.CONFLICT, message, fields);
  }
}
export class OutOfStockError extends AppError {
  constructor(fields: FieldProblem[]) {
    super(ErrorCode.OUT_OF_STOCK, 'Not enough stock for this order.', fields);
  }
}
export class OrderStateError extends AppError {
  constructor(message: string) {
    super(ErrorCode.ORDER_STATE, message);
  }
}
export class RateLimitedError extends AppError {
  constructor(
    message = 'Too many requests; try again shortly.',
    /** When the caller may try again; the 429 carries it as `Retry-After` (whole seconds). */
    readonly retryAfterSeconds?: number,
  ) {
    super(ErrorCode.RATE_LIMITED, message);
  }
}
export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(ErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than ${limitBytes} bytes.`, [
      { path: 'body', message: `must be at most ${limitBytes} bytes` },
    ]);
  }
}
export class DependencyUnavailableError extends AppError {
  constructor(
    readonly dependency: 'database' | 'redis' | 'wechat',
    cause?: unknown,
  ) {
    super(ErrorCode.DEPENDENCY_UNAVAILABLE, dependency === 'wechat' ? 'WeChat is unavailable; try again shortly.' : `The ${dependency} is unavailable; try again shortly.`);
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

const dbDownCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_SERVER_GONE_ERROR',
  'CR_SERVER_GONE_ERROR',
  'CR_CONNECTION_ERROR',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
]);

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; driverError?: unknown; cause?: unknown; errno?: unknown };
  if (typeof e.code === 'string') return e.code;
  return codeOf(e.driverError) ?? codeOf(e.cause);
}

/** True when an error means the database could not be reached, rather than a bad query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = codeOf(err);
  if (code && dbDownCodes.has(code)) return true;
  const msg = err instanceof Error ? err.message : '';
  return /connect ECONNREFUSED|Connection lost|closed state|Pool is closed|connection is in closed state|Can't add new command when connection is in closed state/i.test(
    msg,
  );
}

/** True when an ioredis error means Redis could not be reached. */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|Stream isn't writeable|ECONNREFUSED.*6379|Redis.*(timed out|unavailable)/i.test(err.message)
  );
}

export interface MappedError {
  status: number;
  problem: Problem;
  /** Whether the error is unexpected (logged at error level with its stack). */
  unexpected: boolean;
}

export interface ErrorMappingOptions {
  /** The entity properties of the unique index a duplicate-key error hit (see kernel/db.ts). */
  uniqueFields?: (err: unknown) => string[] | undefined;
  /** Request fields named differently from the entity property that holds them. */
  fieldAliases?: Readonly<Record<string, string>>;
}

/** Properties that identify the owner or parent of a row: never a field the caller sent. */
const CONTEXT_PROPERTIES = new Set(['buyerId', 'productId', 'orderId', 'staffId']);

export function mapError(err: unknown, requestId?: string, options: ErrorMappingOptions = {}): MappedError {
  if (isDuplicateKey(err)) {
    // Two requests raced for one unique key (or one repeated a taken value): the loser is a
    // conflict naming the field, on either database; the value itself is never echoed.
    const properties = (options.uniqueFields?.(err) ?? []).filter((p) => !CONTEXT_PROPERTIES.has(p));
    const fields = properties.map((p) => ({
      path: `body.${options.fieldAliases?.[p] ?? p}`,
      message: 'is already taken',
    }));
    const problem: Problem = { code: ErrorCode.CONFLICT, message: 'That already exists.', requestId };
    if (fields.length) problem.fields = fields;
    return { status: 409, problem, unexpected: false };
  }
  if (err instanceof AppError) {
    const problem: Problem = { code: err.code, message: err.message, requestId };
    if (err.fields?.length) problem.fields = err.fields;
    return { status: err.status, problem, unexpected: false };
  }
  // Koa/http-errors style errors that are safe to expose (e.g. 413 from the body reader).
  const httpErr = err as { status?: number; expose?: boolean; message?: string; type?: string };
  if (httpErr?.status === 413 || httpErr?.type === 'entity.too.large') {
    return {
      status: 413,
      problem: { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'The request body is too large.', requestId },
      unexpected: false,
    };
  }
  if (isDatabaseUnavailable(err)) {
    return {
      status: 503,
      problem: {
        code: ErrorCode.DEPENDENCY_UNAVAILABLE,
        message: 'The database is unavailable; try again shortly.',
        requestId,
      },
      unexpected: false,
    };
  }
  if (isRedisUnavailable(err)) {
    return {
      status: 503,
      problem: {
        code: ErrorCode.DEPENDENCY_UNAVAILABLE,
        message: 'Redis is unavailable; try again shortly.',
        requestId,
      },
      unexpected: false,
    };
  }
  return {
    status: 500,
    problem: { code: ErrorCode.INTERNAL, message: 'Something went wrong on our side.', requestId },
    unexpected: true,
  };
}
