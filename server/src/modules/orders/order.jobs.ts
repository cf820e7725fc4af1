/**
 * Order jobs: a delayed close per unpaid order (job id = the order id, so scheduling twice
 * is harmless), and a periodic sweep that closes anything a lost job missed and completes
 * shipped orders the buyer never confirmed.
 */
import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { queueNames } from '../../kernel/queues';
import type { Logger } from '../../kernel/logger';
import type { OrderScheduler, OrderService } from './order.service';

export const ORDER_SWEEP_EVERY_MS = 60_000;

export function bullOrderScheduler(connection: Redis, prefix: string): OrderScheduler & { queue: Queue } {
  const queue = new Queue(queueNames.orders, {
    connection: connection as unknown as ConnectionOptions,
    prefix,
    defaultJobOptions: {
      removeOnComplete: 1000,
      removeOnFail: 5000,
      attempts: 10,
      backoff: { type: 'exponential', delay: 1000 },
    },
  });
  return {
    queue,
    async scheduleClose(orderId, at) {
      await queue.add(
        'close-unpaid',
        { orderId },
        { jobId: `close-unpaid-${orderId}`, delay: Math.max(0, at.getTime() - Date.now()) },
      );
    },
  };
}

export function orderJobs(orders: OrderService, log: Logger) {
  return async (job: Job): Promise<unknown> => {
    switch (job.name) {
      case 'close-unpaid': {
        const { orderId } = job.data as { orderId: string };
        const closed = await orders.closeIfUnpaid(orderId);
        // Early by a clock's width: fail so BullMQ retries shortly, rather than leave it to the sweep.
        if (!closed && (await orders.isAwaitingPayment(orderId))) throw new Error('payment window still open');
        return { closed };
      }
      case 'sweep': {
        const closed = await orders.closeOverdue();
        const completed = await orders.autoComplete();
        if (closed || completed) log.info({ closed, completed }, 'order sweep');
        return { closed, completed };
      }
      default:
        throw new Error(`unknown order job ${job.name}`);
    }
  };
}
