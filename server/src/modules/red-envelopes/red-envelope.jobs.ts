import type { Processor } from 'bullmq';
import type { Logger } from '../../kernel/logger';
import type { GrabJob, RedEnvelopeService } from './red-envelope.service';

/** How often Redis and the database are compared (and expired packs settled). */
export const RED_ENVELOPE_RECONCILE_EVERY_MS = 30_000;

export function redEnvelopeJobs(packs: RedEnvelopeService, log: Logger): Processor {
  return async (job) => {
    if (job.name === 'grab') return packs.persistGrab(job.data as GrabJob);
    if (job.name === 'reconcile') {
      const out = await packs.reconcile();
      if (out.loaded || out.replayed || out.settled) log.info(out, 'red envelopes reconciled');
      return out;
    }
    throw new Error(`unknown red-envelope job ${job.name}`);
  };
}
