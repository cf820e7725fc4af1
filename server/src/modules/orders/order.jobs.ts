/**
 * Order jobs: a delayed close per unpaid order (job id = the order id, so scheduling twice
 * is harmless; scheduled by the `order.placed` subscriber), and a periodic sweep that closes
 * anything a lost job missed and completes shipped orders the buyer never confirmed.
 */
import type { Job, Queue } from 'bullmq';
import type { Logger } from '../../kernel/logger';
import type { OrderScheduler, OrderService } from './order.service';

export const ORDER_SWEEP_EVERY_MS = 60_000;

/** Delayed closes on the orders queue. */
export function bullOrderScheduler(queue: Queue): OrderScheduler {
  return {
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
        const closed = await orders.closeIfUnpaid({}, orderId);
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
