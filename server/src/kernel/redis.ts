/**
 * ioredis connections. Application commands fail fast while Redis is down (so requests
 * answer 503 rather than hang); BullMQ connections retry forever, as BullMQ requires.
 * Given the process's logger, a connection reports an outage through `outage.ts` (once,
 * then once a minute) and its recovery; without a listener ioredis would print an
 * "Unhandled error event" with a stack trace on every reconnect attempt.
 *
 * Application connections (and the cluster client) auto-pipeline: the commands issued in one
 * event-loop turn (a burst of grabs' rate limits and scripts, say) leave in one socket write
 * instead of one each, and the write is most of a small command's cost. BullMQ's connections do
 * not: its blocking commands and job moves are not meant to share a pipeline.
 */
import { Cluster, Redis } from 'ioredis';
import { withTimeout } from './db';
import type { Logger } from './logger';
import { reportOutage, reportRecovered } from './outage';

export type { Cluster, Redis };

export function createRedis(url: string, purpose: 'app' | 'queue', log?: Logger): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    connectionName: `chatmall-${purpose}`,
    ...(purpose === 'queue'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, enableAutoPipelining: true }),
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  if (log) watchRedis(redis, log, `${purpose} connection`);
  return redis;
}

/** Routes a connection's errors to the outage log, and its (re)connection to "redis recovered". */
export function watchRedis(redis: Redis, log: Logger, source: string): void {
  redis.on('error', (err: Error) => reportOutage(log, 'redis', err, { source }));
  redis.on('ready', () => reportRecovered(log, 'redis'));
}

export async function pingRedis(redis: Redis, timeoutMs: number): Promise<void> {
  const reply = await withTimeout(redis.ping(), timeoutMs, 'redis ping timed out');
  if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
}

/** Where a Lua script runs: the app's Redis, or a Redis Cluster (keys of one call share a hash tag). */
export type ScriptRedis = Redis | Cluster;

/**
 * A Redis Cluster client for scripts whose keys share one hash tag (`rp:{packId}:…`), so each
 * call lands on one node and runs unchanged. Commands fail fast like the app connection's.
 */
export function createRedisCluster(nodes: { host: string; port: number }[], log?: Logger): Cluster {
  const cluster = new Cluster(nodes, {
    enableOfflineQueue: true,
    enableAutoPipelining: true,
    redisOptions: { connectionName: 'chatmall-cluster', maxRetriesPerRequest: 1, connectTimeout: 2000 },
    clusterRetryStrategy: (times) => Math.min(times * 200, 2000),
  });
  if (log) {
    cluster.on('error', (err: Error) => reportOutage(log, 'redis', err, { source: 'cluster connection' }));
    cluster.on('ready', () => reportRecovered(log, 'redis'));
  }
  return cluster;
}
