/**
 * ioredis connections. Application commands fail fast while Redis is down (so requests
 * answer 503 rather than hang); BullMQ connections retry forever, as BullMQ requires.
 */
import { Redis } from 'ioredis';
import { withTimeout } from './db';

export type { Redis };

export function createRedis(url: string, purpose: 'app' | 'queue'): Redis {
  return new Redis(url, {
    lazyConnect: false,
    connectionName: `chatmall-${purpose}`,
    ...(purpose === 'queue'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 }),
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

export async function pingRedis(redis: Redis, timeoutMs: number): Promise<void> {
  const reply = await withTimeout(redis.ping(), timeoutMs, 'redis ping timed out');
  if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
}
