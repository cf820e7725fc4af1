import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import { addressKey } from '../auth/sign-in-throttle';
import type { RedEnvelopeService } from './red-envelope.service';
import type { RedEnvelopeStats } from './red-envelope.stats';

export function redEnvelopeRoutes(api: ContractRouter, packs: RedEnvelopeService, stats: RedEnvelopeStats): void {
  api.handle(contract.createRedEnvelopePack, async ({ ctx, principal, body }) => packs.create(ctx, principal, body));
  api.handle(contract.merchantCreateRedEnvelopePack, async ({ ctx, principal, body }) =>
    packs.create(ctx, principal, body),
  );
  api.handle(contract.adminListRedEnvelopePacks, async ({ query }) => stats.list(query));
  api.handle(contract.adminGetRedEnvelopePack, async ({ params }) =>
    stats.detail(params.id, await packs.pack(params.id, true)),
  );
  api.handle(contract.merchantGetRedEnvelopePack, async ({ params }) =>
    stats.detail(params.id, await packs.pack(params.id, true)),
  );

  api.handle(contract.getRedEnvelope, async ({ principal, params }) => packs.view(principal.buyerId, params.id));
  api.handle(contract.openRedEnvelope, async ({ principal, params, body }) =>
    packs.open(principal.buyerId, params.id, body),
  );
  api.handle(contract.grabRedEnvelope, async ({ principal, params, body, http }) =>
    packs.grab(principal.buyerId, addressKey(http.ip), params.id, body),
  );
}
