import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import { NotFoundError } from '../../kernel/errors';
import type { CardSyncService } from './card-sync';
import type { CounterService } from './counter.service';
import type { MemberService } from './members.service';
import type { PointsService } from './points.service';
import type { ProgrammeService } from './programme.service';
import type { WalletService } from './wallet.service';
import { CODE_VALID_SECONDS } from './member-code';

export function membershipRoutes(
  api: ContractRouter,
  s: {
    programme: ProgrammeService;
    members: MemberService;
    points: PointsService;
    wallet: WalletService;
    counter: CounterService;
    cardSync: CardSyncService;
  },
): void {
  /** The caller's own member row; 404 before joining. */
  const me = async (buyerId: string) => {
    const m = await s.members.byBuyer(buyerId);
    if (!m) throw new NotFoundError('Member');
    return m;
  };
  const member = async (id: string) => {
    const m = await s.members.byId(id);
    if (!m) throw new NotFoundError('Member');
    return m;
  };

  api.handle(contract.membershipProgramme, async () => s.programme.get());
  api.handle(contract.myMembership, async ({ principal }) => s.members.mine(principal.buyerId));
  api.handle(contract.joinMembership, async ({ ctx, principal, body }) => s.members.join(ctx, principal.buyerId, body));
  api.handle(contract.myPoints, async ({ principal, query }) =>
    s.points.history((await me(principal.buyerId)).id, query),
  );
  api.handle(contract.myWallet, async ({ principal, query }) =>
    s.wallet.history((await me(principal.buyerId)).id, query),
  );
  api.handle(contract.startTopUp, async ({ principal, body }) => s.wallet.startTopUp(principal.buyerId, body));
  api.handle(contract.myTopUp, async ({ principal, params }) => s.wallet.topUpOf(principal.buyerId, params.id));
  api.handle(contract.myMemberCard, async ({ principal }) => {
    const card = await s.cardSync.addCardParams(principal.buyerId);
    if (!card) throw new NotFoundError('Member');
    return card;
  });
  api.handle(contract.myMemberCode, async ({ principal }) => {
    const code = await s.counter.codeFor(principal.buyerId);
    if (!code) throw new NotFoundError('Member');
    return { code: code.code, validSeconds: CODE_VALID_SECONDS, expiresAt: code.expiresAt.toISOString() };
  });

  api.handle(contract.adminMembershipProgramme, async () => s.programme.get());
  api.handle(contract.saveMembershipProgramme, async ({ ctx, principal, body }) =>
    s.programme.save(ctx, principal, body),
  );
  api.handle(contract.adminListMembers, async ({ query }) => s.members.list(query));
  api.handle(contract.adminGetMember, async ({ params }) => s.members.view(params.id, { fullPhone: true }));
  api.handle(contract.adminMemberPoints, async ({ params, query }) =>
    s.points.history((await member(params.id)).id, query),
  );
  api.handle(contract.adminMemberWallet, async ({ params, query }) =>
    s.wallet.history((await member(params.id)).id, query),
  );
  api.handle(contract.adminMemberTopUps, async ({ params }) => ({
    items: await s.wallet.topUpsOf((await member(params.id)).id),
  }));
  api.handle(contract.adjustMemberPoints, async ({ ctx, principal, params, body }) => {
    await member(params.id);
    return s.points.adjust(ctx, principal, params.id, body);
  });
  api.handle(contract.refundTopUp, async ({ ctx, principal, params }) =>
    s.wallet.refundTopUp(ctx, principal, params.id),
  );
  api.handle(contract.membershipLiability, async () => s.wallet.liability());
  api.handle(contract.counterLookup, async ({ body }) => s.counter.lookup(body.code));
  api.handle(contract.counterPurchase, async ({ ctx, principal, body }) => s.counter.purchase(ctx, principal, body));
  api.handle(contract.counterPayment, async ({ ctx, principal, body }) => s.counter.payment(ctx, principal, body));
  // The same counter on the mini-program's merchant pages: the bound staff member acts, so a
  // retried sale keys on the same staff id and request id as in the console.
  api.handle(contract.merchantCounterLookup, async ({ body }) => s.counter.lookup(body.code));
  api.handle(contract.merchantCounterPurchase, async ({ ctx, principal, body }) =>
    s.counter.purchase(ctx, principal, body),
  );
  api.handle(contract.merchantCounterPayment, async ({ ctx, principal, body }) =>
    s.counter.payment(ctx, principal, body),
  );
}
