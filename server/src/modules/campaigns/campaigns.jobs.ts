/**
 * Campaign jobs on the `{campaigns}` queue: `plan` (a due campaign's audience into recipient
 * rows and send jobs), `send` (one page of recipients), `dispatch` (after a resume) and
 * `resume` (when the quota resets or quiet hours end). Ids come from the campaign and the
 * page's first openid, so adding one twice is one job.
 */
import type { Job } from 'bullmq';
import type { CampaignService } from './campaign.service';

/** How often the sweep looks for campaigns a crash left without a job. */
export const CAMPAIGN_SWEEP_EVERY_MS = 15_000;

export function campaignJobs(campaigns: CampaignService) {
  return async (job: Job): Promise<unknown> => {
    const data = job.data as { campaignId: string; from?: string; to?: string };
    switch (job.name) {
      case 'plan':
        return campaigns.plan(data.campaignId);
      case 'dispatch':
        return campaigns.dispatch(data.campaignId);
      case 'sweep':
        return campaigns.sweep();
      case 'resume':
        return campaigns.resumeDue(data.campaignId);
      case 'send': {
        const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        return campaigns.sendPage(data.campaignId, data.from!, data.to!, final);
      }
      default:
        throw new Error(`unknown campaign job ${job.name}`);
    }
  };
}
