/**
 * Payment jobs: reconciliation with WeChat Pay every minute (lost notifications, expired
 * prepays, payments for closed orders) and the outbox relay backstop.
 */
import type { Job, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../kernel/logger';
import { enqueueCommitted, relayOutbox, type CommittedEvent } from '../../kernel/outbox';
import type { PaymentService } from './payment.service';
import type { RefundService } from './refund.service';

export const RECONCILE_EVERY_MS = 60_000;
/** A payment still open this long after prepay is asked about, in case its notification was lost. */
export const RECONCILE_AFTER_MS = 5 * 60_000;
export const RELAY_EVERY_MS = 10_000;

export function paymentJobs(deps: {
  db: DataSource;
  payments: PaymentService;
  refunds: RefundService;
  events: Queue;
  log: Logger;
}) {
  return async (job: Job): Promise<unknown> => {
    switch (job.name) {
      case 'reconcile': {
        const committed: CommittedEvent[] = [];
        const result = await deps.payments.reconcile(new Date(), RECONCILE_AFTER_MS, 100, committed);
        const refundsSettled = await deps.refunds.reconcile(new Date());
        if (result.applied || result.closed || refundsSettled)
          deps.log.info({ ...result, refundsSettled }, 'payments reconciled');
        await enqueueCommitted(deps.events, committed);
        return result;
      }
      case 'relay-outbox':
        return { relayed: await relayOutbox(deps.db, deps.events) };
      default:
        throw new Error(`unknown payment job ${job.name}`);
    }
  };
}
