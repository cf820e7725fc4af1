/** Opens and closes the shared infrastructure a process needs: logger, database, Redis. */
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { createDataSource } from './db';
import { createLogger, type Logger } from './logger';
import { createRedis, type Redis } from './redis';
import { redactUrl } from './config';

export interface Runtime {
  config: Config;
  log: Logger;
  db: DataSource;
  redis: Redis;
}

export async function openRuntime(config: Config, name: string): Promise<Runtime> {
  const log = createLogger(config.logLevel, name);
  const db = createDataSource(config);
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

/** Runs `fn` on SIGINT/SIGTERM once; a second signal exits at once. */
export function onShutdown(log: Logger, fn: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
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
