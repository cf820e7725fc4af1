/**
 * Campaign test helpers: followers made in bulk in the sandbox (its light, send-only ones) and
 * the same followers in the audience read model (as follower.updated would write them), the
 * sandbox pushing to the stack, and campaign calls through the console's API.
 */
import type { CampaignInput } from '@chatmall/shared';
import type { AudienceService } from '../../src/modules/audience/audience.service';
import { api } from './people';
import type { RunningSandbox } from './sandbox';

export async function seedFollowers(
  sandbox: RunningSandbox,
  audience: AudienceService,
  opts: { prefix: string; count: number; tags?: number[]; from?: number; buyerOf?: (i: number) => string | null },
): Promise<string[]> {
  const from = opts.from ?? 0;
  const res = await api(
    sandbox.url,
    'POST',
    '/sandbox/oa/followers/bulk',
    {},
    {
      prefix: opts.prefix,
      count: opts.count,
      from,
      tags: opts.tags ?? [],
    },
  );
  if (res.status !== 200) throw new Error(`bulk followers: ${res.status} ${JSON.stringify(res.body)}`);
  const openids = Array.from({ length: opts.count }, (_, i) => `${opts.prefix}${String(from + i).padStart(7, '0')}`);
  const at = new Date().toISOString();
  for (let i = 0; i < openids.length; i += 1000)
    await audience.applyFollowers(
      {},
      openids.slice(i, i + 1000).map((openid, j) => ({
        openid,
        unionid: null,
        buyerId: opts.buyerOf?.(from + i + j) ?? null,
        city: null,
        tagIds: opts.tags ?? [],
        followedAt: at,
      })),
    );
  return openids;
}

export const templateCampaign = (over: Partial<CampaignInput> = {}): CampaignInput => ({
  name: '新品通知',
  content: {
    channel: 'template',
    templateId: 'TPL_CAMPAIGN_NOTICE',
    fields: { thing1: '春季新品上架', thing2: '会员九折' },
    page: 'pages/index/index',
  },
  audience: { kind: 'all' },
  ...over,
});

export async function received(sandbox: RunningSandbox, prefix: string, via?: string) {
  const q = new URLSearchParams({ prefix, ...(via ? { via } : {}) });
  return (await api(sandbox.url, 'GET', `/sandbox/oa/campaigns/received?${q}`)).body as {
    recipients: number;
    messages: number;
    moreThanOnce: number;
    examples: string[];
  };
}
