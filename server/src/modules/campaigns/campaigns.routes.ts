import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { AudienceService } from '../audience/audience.service';
import type { CampaignService } from './campaign.service';

export function campaignRoutes(api: ContractRouter, campaigns: CampaignService, audience: AudienceService): void {
  api.handle(contract.listSegments, async () => ({ items: await audience.listSegments() }));
  api.handle(contract.countSegment, async ({ body }) => ({ count: await audience.countRules(body.rules) }));
  api.handle(contract.createSegment, async ({ ctx, principal, body }) =>
    audience.createSegment(ctx, principal.staffId, body),
  );
  api.handle(contract.updateSegment, async ({ ctx, params, body }) => audience.updateSegment(ctx, params.id, body));

  api.handle(contract.listCampaigns, async () => ({ items: await campaigns.list() }));
  api.handle(contract.getCampaign, async ({ params }) => campaigns.get(params.id));
  api.handle(contract.createCampaign, async ({ ctx, principal, body }) => campaigns.create(ctx, principal, body));
  api.handle(contract.updateCampaign, async ({ ctx, params, body }) => campaigns.update(ctx, params.id, body));
  api.handle(contract.previewCampaign, async ({ params }) => campaigns.preview(params.id));
  api.handle(contract.testSendCampaign, async ({ params, body }) => campaigns.testSend(params.id, body.openid));
  api.handle(contract.scheduleCampaign, async ({ ctx, principal, params, body }) =>
    campaigns.schedule(ctx, principal, params.id, body.at),
  );
  api.handle(contract.approveCampaign, async ({ ctx, principal, params }) =>
    campaigns.approve(ctx, principal, params.id),
  );
  api.handle(contract.pauseCampaign, async ({ ctx, params }) => campaigns.pause(ctx, params.id));
  api.handle(contract.resumeCampaign, async ({ ctx, params }) => campaigns.resume(ctx, params.id));
  api.handle(contract.cancelCampaign, async ({ ctx, params }) => campaigns.cancel(ctx, params.id));
  api.handle(contract.campaignFunnel, async ({ params }) => campaigns.funnel(params.id));
  api.handle(contract.clickCampaign, async ({ principal, params }) => ({
    recorded: await campaigns.click(principal.buyerId, params.id),
  }));
}
