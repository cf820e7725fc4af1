/** Opens and closes the shared infrastructure a process needs: logger, database, Redis. */
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { createDataSource, type Schema } from './db';
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
  const redis = createRedis(config.redis.url, 'app');
  redis.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));
  log.info({ database: redactUrl(config.db.url), redis: redactUrl(config.redis.url) }, 'runtime opened');
  return { config, log, db, redis };
}

export async function closeRuntime(rt: Runtime): Promise<void> {
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
