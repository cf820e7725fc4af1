/**
 * Membership jobs: the points expiry sweep (idempotent: a second run finds nothing due).
 */
import type { Job } from 'bullmq';
import type { Logger } from '../../kernel/logger';
import type { PointsService } from './points.service';
import type { WalletService } from './wallet.service';

export const POINTS_EXPIRY_EVERY_MS = 60 * 60_000;
export const TOP_UP_RECONCILE_EVERY_MS = 60_000;

export function membershipJobs(deps: {
  points: PointsService;
  wallet: WalletService;
  log: Logger;
  cardSync?: (job: Job) => Promise<unknown>;
}) {
  return async (job: Job): Promise<unknown> => {
    switch (job.name) {
      case 'points-expiry': {
        const expired = await deps.points.expire();
        if (expired) deps.log.info({ expired }, 'points expired');
        return { expired };
      }
      case 'top-up-reconcile': {
        const done = await deps.wallet.reconcile();
        if (done.credited || done.refunds || done.closed) deps.log.info(done, 'top-ups reconciled');
        return done;
      }
      case 'card-sync':
      case 'card-activate':
        if (!deps.cardSync) return null;
        return deps.cardSync(job);
      default:
        throw new Error(`unknown membership job ${job.name}`);
    }
  };
}
