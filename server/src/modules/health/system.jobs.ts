/** Housekeeping jobs. The heartbeat proves a worker is consuming the queue end to end. */
import type { Job } from 'bullmq';
import { workerHeartbeatKey } from '../../kernel/queues';
import type { Runtime } from '../../kernel/runtime';

export function systemJobs(rt: Pick<Runtime, 'redis' | 'config' | 'log'>) {
  return async (job: Job): Promise<unknown> => {
    switch (job.name) {
      case 'heartbeat': {
        const at = new Date().toISOString();
        await rt.redis.set(workerHeartbeatKey(rt.config.queues.prefix), at, 'EX', 300);
        return { at };
      }
      default:
        throw new Error(`unknown system job ${job.name}`);
    }
  };
}
