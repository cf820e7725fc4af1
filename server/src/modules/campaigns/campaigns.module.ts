import type Router from 'koa-router';
import { WechatClient } from '../../wechat/api/client';
import { CampaignSendApi } from '../../wechat/api/campaign-sends';
import { redisStore } from '../../wechat/store';
import type { AudienceService } from '../audience/audience.service';
import type { AppModule, Kernel } from '../module';
import { officialAccountFor } from '../official-account/oa.routes';
import { CampaignService } from './campaign.service';
import { CAMPAIGN_SWEEP_EVERY_MS, campaignJobs } from './campaigns.jobs';
import { campaignRoutes } from './campaigns.routes';
import { parseQuietHours } from './quiet-hours';
import { RateGate } from './rate-gate';

/**
 * Push campaigns: the composer's API, the fan-out jobs, delivery receipts from the official
 * account's pushes, tracked-link clicks and the orders they bring (order.paid within 7 days).
 */
export function campaignsModule(k: Kernel, deps: { audience: AudienceService }) {
  const { wechat } = k.config;
  const store = redisStore(k.redis);
  const client = (app: { appId: string; secret: string }) =>
    new WechatClient({
      baseUrl: wechat.apiBase,
      appId: app.appId,
      secret: app.secret,
      tokenMode: wechat.tokenMode,
      store,
      timeoutMs: 5000,
    });
  const campaigns = new CampaignService({
    db: k.db,
    log: k.log,
    audience: deps.audience,
    send: new CampaignSendApi(client(wechat.oa), client(wechat.miniProgram)),
    gate: new RateGate(k.redis, `${k.config.queues.prefix}:campaigns:rate`, k.config.campaigns.sendsPerSecond),
    queue: () => k.queue('campaigns'),
    miniProgramAppId: wechat.miniProgram.appId,
    approvalAbove: k.config.campaigns.approvalAbove,
    quotaRetryMs: k.config.campaigns.quotaRetryMs,
    quietHours: parseQuietHours(k.config.campaigns.quietHours),
  });
  return {
    name: 'campaigns',
    services: { campaigns },
    routes: (api) => campaignRoutes(api, campaigns, deps.audience),
    // After the official account mounted its endpoint: its delivery receipts come here.
    systemRoutes: (_router: Router) => {
      const account = officialAccountFor(k.config);
      account?.handlers.onEvent('TEMPLATESENDJOBFINISH', async (m) => {
        await campaigns.receipt(m.msgId, m.fromUserName, m.status);
      });
      account?.handlers.onEvent('MASSSENDJOBFINISH', async (m) => {
        await campaigns.receipt(m.msgId, '*', m.status);
      });
    },
    jobs: [
      {
        queue: 'campaigns',
        concurrency: 4,
        processor: campaignJobs(campaigns),
        // A killed worker's page is taken up again within seconds, not BullMQ's 30.
        timing: { lockDuration: 8000, stalledInterval: 4000, maxStalledCount: 5 },
        schedules: [{ id: 'sweep', everyMs: CAMPAIGN_SWEEP_EVERY_MS }],
      },
    ],
    subscribe(on) {
      on.on('order.paid', 'campaign-attribution', async (e) => {
        await campaigns.attribute({}, e);
      });
      on.on('refund.succeeded', 'campaign-order-refunded', async (e) => {
        await campaigns.refunded({}, e);
      });
    },
  } satisfies AppModule;
}
