/**
 * The composition for one-shot commands (seed, rebuilds): the same `compose()` as the API and
 * the worker, with a Redis connection that is never opened unless something uses it (these
 * commands only read and write the database) and no queue opened at all.
 */
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Config } from '../kernel/config';
import { createLogger } from '../kernel/logger';
import { compose, type Composition } from './compose';

export function composeOffline(config: Config, db: DataSource): Composition & { closeOffline(): Promise<void> } {
  const redis = new Redis(config.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const c = compose({ config, db, redis, log: createLogger(process.env.LOG_LEVEL ?? 'warn', 'command') });
  return Object.assign(c, {
    async closeOffline() {
      await c.close();
      redis.disconnect();
    },
  });
}
