/**
 * Logging a dependency outage the way an operator wants to read it: one line when the
 * database or Redis stops answering, then at most one a minute with how many failures were
 * seen and for how long, and one line when it answers again — never a stack trace per
 * retry. Every place that sees a dependency fail (ioredis connections, BullMQ queues and
 * workers, the outbox relay, failed jobs, the runtime's database watch) reports here, and
 * the reports of one process (one root logger) for one dependency are counted together, so
 * five connections failing every two seconds still make one line a minute.
 */
import type { Logger } from './logger';

export type Dependency = 'database' | 'redis';

/** How often a continuing outage is logged again (with the count so far). */
export const OUTAGE_LOG_INTERVAL_MS = 60_000;

interface OutageState {
  since: number;
  failures: number;
  lastLoggedAt: number;
}

/** Per root logger (one per process; tests build several), per dependency. */
const outages = new WeakMap<Logger, Map<Dependency, OutageState>>();

function stateOf(log: Logger): Map<Dependency, OutageState> {
  let m = outages.get(log);
  if (!m) outages.set(log, (m = new Map()));
  return m;
}

const messageOf = (err: unknown) =>
  err instanceof Error ? err.message || err.name : typeof err === 'string' ? err : String(err);

/**
 * A failure to reach `dependency`. Logs "<dependency> unavailable" the first time, then
 * "<dependency> still unavailable" with the count at most once per OUTAGE_LOG_INTERVAL_MS.
 */
export function reportOutage(
  log: Logger,
  dependency: Dependency,
  err: unknown,
  opts: { now?: number; intervalMs?: number; source?: string } = {},
): void {
  const now = opts.now ?? Date.now();
  const states = stateOf(log);
  const s = states.get(dependency);
  const fields = { dependency, err: messageOf(err), ...(opts.source ? { source: opts.source } : {}) };
  if (!s) {
    states.set(dependency, { since: now, failures: 1, lastLoggedAt: now });
    log.warn(fields, `${dependency} unavailable; retrying (logged again once a minute while it lasts)`);
    return;
  }
  s.failures++;
  if (now - s.lastLoggedAt >= (opts.intervalMs ?? OUTAGE_LOG_INTERVAL_MS)) {
    s.lastLoggedAt = now;
    log.warn(
      { ...fields, failures: s.failures, downForSeconds: Math.round((now - s.since) / 1000) },
      `${dependency} still unavailable`,
    );
  }
}

/** `dependency` answered: logs "<dependency> recovered" once if an outage was reported. */
export function reportRecovered(log: Logger, dependency: Dependency, opts: { now?: number } = {}): void {
  const states = stateOf(log);
  const s = states.get(dependency);
  if (!s) return;
  states.delete(dependency);
  const now = opts.now ?? Date.now();
  log.info(
    { dependency, failures: s.failures, downForSeconds: Math.round((now - s.since) / 1000) },
    `${dependency} recovered`,
  );
}

/** Whether an outage of `dependency` is being reported in this process. */
export function isOut(log: Logger, dependency: Dependency): boolean {
  return stateOf(log).has(dependency);
}

const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'CR_SERVER_GONE_ERROR',
  'CR_CONNECTION_ERROR',
]);

function codeOf(err: unknown, depth = 0): string | undefined {
  if (typeof err !== 'object' || err === null || depth > 3) return undefined;
  const e = err as { code?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && connectionCodes.has(e.code)) return e.code;
  return codeOf(e.driverError, depth + 1) ?? codeOf(e.cause, depth + 1);
}

/**
 * Whether an error means a server could not be reached (refused, reset, timed out, closed),
 * rather than a bad query or a bug. Which server is for the caller to say: it knows which
 * connection or which step failed.
 */
export function isConnectionError(err: unknown): boolean {
  if (codeOf(err)) return true;
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Connection is closed|Stream isn't writeable|connect(ion)? timed? ?out|Connection lost|closed state|Pool is closed|ping timed out/i.test(
      err.message,
    )
  );
}

/** Errors whose dependency the failing step named (see `blame`). */
const blamed = new WeakMap<object, Dependency>();

/**
 * Marks a step's connection failure as `dependency`'s, for a caller that runs steps on both
 * (the outbox relay reads the database, then writes to Redis).
 */
export async function blame<T>(step: Promise<T>, dependency: Dependency): Promise<T> {
  try {
    return await step;
  } catch (err) {
    if (typeof err === 'object' && err !== null && isConnectionError(err)) blamed.set(err, dependency);
    throw err;
  }
}

/**
 * Which dependency a failed job or step lost, or null when the error is not a lost
 * connection: the step's own word (`blame`) first; ioredis errors name themselves; any other
 * connection error is the database's (a job reaches Redis through BullMQ, which retries on
 * its own and reports through its connection's events).
 */
export function dependencyOf(err: unknown): Dependency | null {
  if (typeof err === 'object' && err !== null && blamed.has(err)) return blamed.get(err)!;
  if (!isConnectionError(err)) return null;
  const e = err as Error;
  if (e.name === 'MaxRetriesPerRequestError' || /Connection is closed|Stream isn't writeable|redis/i.test(e.message))
    return 'redis';
  return 'database';
}
