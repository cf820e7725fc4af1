/**
 * BullMQ queues and workers, built here and nowhere else. Names carry a Redis Cluster hash
 * tag (`{system}`) so every key of one queue lands in the same slot and BullMQ's Lua
 * scripts run unchanged on a cluster.
 */
import {
  Queue,
  Worker,
  type ConnectionOptions,
  type DefaultJobOptions,
  type JobsOptions,
  type Processor,
} from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from './logger';
import { isConnectionError, reportOutage } from './outage';

export const queueNames = {
  /** Housekeeping: worker heartbeats. */
  system: '{system}',
  /** Closing unpaid orders on time; the sweep that backs it up; auto-completion. */
  orders: '{orders}',
  /** Side effects of committed changes, relayed from the outbox. */
  events: '{events}',
  /** Payment reconciliation with WeChat Pay, and refunds. */
  payments: '{payments}',
  /** Coupon expiry and the day-before reminder. */
  coupons: '{coupons}',
  /** Red-envelope grabs written to the database with their coupon; reconciliation and expiry. */
  redEnvelopes: '{red-envelopes}',
  /** Push campaigns: planning the recipients, sending them in batches, resuming paused ones. */
  campaigns: '{campaigns}',
  /** Points expiry and the WeChat member card's sync (one job per ledger entry). */
  membership: '{membership}',
} as const;
export type QueueName = keyof typeof queueNames;

/** Retries per queue: an event's effects get more (a WeChat outage may last a while). */
const jobDefaults: Record<QueueName, DefaultJobOptions> = {
  system: { removeOnComplete: 1000, removeOnFail: 5000, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  orders: { removeOnComplete: 1000, removeOnFail: 5000, attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  events: { removeOnComplete: 5000, removeOnFail: 10000, attempts: 12, backoff: { type: 'exponential', delay: 1000 } },
  payments: { removeOnComplete: 1000, removeOnFail: 5000, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  coupons: { removeOnComplete: 1000, removeOnFail: 5000, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  // A grab's record must land: many tries; the reconciliation replays whatever still misses.
  redEnvelopes: {
    removeOnComplete: 5000,
    removeOnFail: 10000,
    attempts: 12,
    backoff: { type: 'exponential', delay: 500 },
  },
  // A batch that met a WeChat 5xx or timeout tries again, backing off; what it already sent stays sent.
  campaigns: { removeOnComplete: 2000, removeOnFail: 5000, attempts: 8, backoff: { type: 'exponential', delay: 1000 } },
  // A card sync waits out a WeChat outage: many tries, backing off.
  membership: {
    removeOnComplete: 5000,
    removeOnFail: 10000,
    attempts: 12,
    backoff: { type: 'exponential', delay: 1000 },
  },
};

// BullMQ types its connection as its own bundled ioredis; ours is the same major version.
const asConnection = (redis: Redis) => redis as unknown as ConnectionOptions;

/**
 * A queue or worker re-emits its connection's errors; with no listener BullMQ prints each
 * one with its stack. Given the process's logger, a lost connection is an outage (outage.ts)
 * and anything else one warning.
 */
function routeErrors(
  emitter: { on(event: 'error', listener: (err: Error) => void): unknown },
  log: Logger | undefined,
  source: string,
): void {
  if (!log) return;
  emitter.on('error', (err: Error) => {
    if (isConnectionError(err)) reportOutage(log, 'redis', err, { source });
    else log.warn({ err: err.message, source }, 'queue error');
  });
}

export function createQueue(name: QueueName, connection: Redis, prefix: string, log?: Logger): Queue {
  const queue = new Queue(queueNames[name], {
    connection: asConnection(connection),
    prefix,
    defaultJobOptions: jobDefaults[name],
  });
  routeErrors(queue, log, `queue ${name}`);
  return queue;
}

export function createWorker(
  name: QueueName,
  processor: Processor,
  connection: Redis,
  prefix: string,
  concurrency: number,
  log?: Logger,
  /** A shorter lock than BullMQ's 30 s makes a killed worker's jobs stall and run again sooner. */
  timing: { lockDuration?: number; stalledInterval?: number; maxStalledCount?: number } = {},
): Worker {
  const worker = new Worker(queueNames[name], processor, {
    connection: asConnection(connection),
    prefix,
    concurrency,
    ...timing,
  });
  routeErrors(worker, log, `worker ${name}`);
  return worker;
}

export interface SystemJobs {
  heartbeat: { requestedAt: string };
}

/** Redis key where the worker records its last heartbeat (read by /readyz for information). */
export const workerHeartbeatKey = (prefix: string) => `${prefix}:worker:heartbeat`;

/**
 * Queues jobs of one name in bulk: every add made in one event-loop turn leaves in a single
 * `addBulk` (one transaction, one round trip) instead of one round trip each, so a burst of
 * grabs queues its jobs together. Each caller's promise settles with the batch: resolved when
 * its job is queued (or was already, by job id), rejected with the batch's error.
 */
export function bulkAdder<T>(queue: () => Queue, name: string): (data: T, opts?: JobsOptions) => Promise<void> {
  let batch: { data: T; opts?: JobsOptions; resolve: () => void; reject: (err: unknown) => void }[] = [];
  const flush = () => {
    const jobs = batch;
    batch = [];
    let q: Queue;
    try {
      q = queue();
    } catch (err) {
      for (const j of jobs) j.reject(err);
      return;
    }
    q.addBulk(jobs.map((j) => ({ name, data: j.data, opts: j.opts }))).then(
      () => jobs.forEach((j) => j.resolve()),
      (err: unknown) => jobs.forEach((j) => j.reject(err)),
    );
  };
  return (data, opts) =>
    new Promise<void>((resolve, reject) => {
      if (batch.length === 0) setImmediate(flush);
      batch.push({ data, opts, resolve, reject });
    });
}
