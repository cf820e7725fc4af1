/**
 * Membership jobs: the points expiry sweep (idempotent: a second run finds nothing due).
 */
import type { Job } from 'bullmq';
import type { Logger } from '../../kernel/logger';
import type { PointsService } from './points.service';

export const POINTS_EXPIRY_EVERY_MS = 60 * 60_000;

export function membershipJobs(deps: {
  points: PointsService;
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
      case 'card-sync':
      case 'card-activate':
        if (!deps.cardSync) return null;
        return deps.cardSync(job);
      default:
        throw new Error(`unknown membership job ${job.name}`);
    }
  };
}
