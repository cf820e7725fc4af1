/**
 * Coupon jobs: one repeating sweep marks coupons past their validity EXPIRED and publishes
 * `coupon.expiring` once per coupon in its last day. Both are conditional updates, so two
 * workers sweeping at once do each coupon once.
 */
import type { Job } from 'bullmq';
import type { Logger } from '../../kernel/logger';
import type { CouponService } from './coupon.service';

export const COUPON_SWEEP_EVERY_MS = 60_000;

export function couponJobs(coupons: CouponService, log: Logger) {
  return async (job: Job): Promise<unknown> => {
    switch (job.name) {
      case 'expiry-sweep': {
        const expired = await coupons.expire();
        const reminded = await coupons.remindExpiring();
        if (expired || reminded) log.info({ expired, reminded }, 'coupon sweep');
        return { expired, reminded };
      }
      default:
        throw new Error(`unknown coupon job ${job.name}`);
    }
  };
}
