/**
 * Payment jobs: reconciliation with WeChat Pay every minute (lost notifications, expired
 * prepays, payments for closed orders, refunds whose notification never came).
 */
import type { Job } from 'bullmq';
import type { Logger } from '../../kernel/logger';
import type { PaymentService } from './payment.service';
import type { RefundService } from './refund.service';

export const RECONCILE_EVERY_MS = 60_000;
/** A payment still open this long after prepay is asked about, in case its notification was lost. */
export const RECONCILE_AFTER_MS = 5 * 60_000;

export function paymentJobs(deps: { payments: PaymentService; refunds: RefundService; log: Logger }) {
  return async (job: Job): Promise<unknown> => {
    switch (job.name) {
      case 'reconcile': {
        const result = await deps.payments.reconcile(new Date(), RECONCILE_AFTER_MS, 100);
        const refundsSettled = await deps.refunds.reconcile(new Date());
        if (result.applied || result.closed || refundsSettled)
          deps.log.info({ ...result, refundsSettled }, 'payments reconciled');
        return result;
      }
      default:
        throw new Error(`unknown payment job ${job.name}`);
    }
  };
}
