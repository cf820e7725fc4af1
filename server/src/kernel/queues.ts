/**
 * BullMQ queues. Names carry a Redis Cluster hash tag (`{system}`) so every key of one
 * queue lands in the same slot and BullMQ's Lua scripts run unchanged on a cluster.
 */
import { Queue, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';

export const queueNames = {
  /** Housekeeping: worker heartbeats, and later sweeps and reconciliation. */
  system: '{system}',
  /** Closing unpaid orders on time; the sweep that backs it up; auto-completion. */
  orders: '{orders}',
  /** Side effects of committed changes, relayed from the outbox. */
  events: '{events}',
  /** Payment reconciliation with WeChat Pay, and refunds. */
  payments: '{payments}',
} as const;
export type QueueName = keyof typeof queueNames;

export interface SystemJobs {
  heartbeat: { requestedAt: string };
}

export function createQueue(name: QueueName, connection: Redis, prefix: string): Queue {
  return new Queue(queueNames[name], {
    connection: connection as unknown as ConnectionOptions,
    prefix,
    defaultJobOptions: {
      removeOnComplete: 1000,
      removeOnFail: 5000,
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
    },
  });
}

/** Redis key where the worker records its last heartbeat (read by /readyz for information). */
export const workerHeartbeatKey = (prefix: string) => `${prefix}:worker:heartbeat`;
