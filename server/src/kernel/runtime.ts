/** Opens and closes the shared infrastructure a process needs: logger, database, Redis. */
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { createDataSource, pingDatabase, type Schema } from './db';
import { reportOutage, reportRecovered } from './outage';
import { createLogger, type Logger } from './logger';
import { createRedis, type Redis } from './redis';
import { redactUrl } from './config';

export interface Runtime {
  config: Config;
  log: Logger;
  db: DataSource;
  redis: Redis;
}

export async function openRuntime(config: Config, name: string, schema: Schema): Promise<Runtime> {
  const log = createLogger(config.logLevel, name);
  const db = createDataSource(config, schema);
  await db.initialize();
  const redis = createRedis(config.redis.url, 'app', log);
  const stopWatch = watchDatabase(db, log);
  stoppers.set(db, stopWatch);
  log.info({ database: redactUrl(config.db.url), redis: redactUrl(config.redis.url) }, 'runtime opened');
  return { config, log, db, redis };
}

/** Each runtime's database watch, stopped by closeRuntime. */
const stoppers = new WeakMap<DataSource, () => void>();

/** How often a process checks its database (a trivial SELECT 1), to log an outage and its end. */
export const DATABASE_WATCH_MS = 5_000;

/**
 * The database has no connection of its own that reports when it goes away and comes back
 * (the pool only fails the next query), so each process asks it every few seconds: a failure
 * is reported as an outage (outage.ts: once, then once a minute with a count), an answer
 * after one as its recovery. Whatever traffic there is, the log tells when it was down.
 */
export function watchDatabase(db: DataSource, log: Logger, everyMs = DATABASE_WATCH_MS): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy || !db.isInitialized) return;
    busy = true;
    pingDatabase(db, Math.min(2000, everyMs))
      .then(
        () => reportRecovered(log, 'database'),
        (err: unknown) => reportOutage(log, 'database', err, { source: 'database watch' }),
      )
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export async function closeRuntime(rt: Runtime): Promise<void> {
  stoppers.get(rt.db)?.();
  await Promise.allSettled([
    rt.db.isInitialized ? rt.db.destroy() : undefined,
    rt.redis.quit().catch(() => rt.redis.disconnect()),
  ]);
}

/**
 * Runs `fn` once on the first SIGINT/SIGTERM. Repeating the same signal (a second Ctrl-C)
 * exits at once; a different one (SIGTERM from a supervisor right after the terminal's
 * SIGINT) is ignored so the graceful drain finishes.
 */
export function onShutdown(log: Logger, fn: (signal: string) => Promise<void>): void {
  let first: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (first) {
      if (signal !== first) return;
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    first = signal;
    log.info({ signal }, 'shutting down');
    fn(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
