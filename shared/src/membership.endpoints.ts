/**
 * Membership endpoints (issue 15): the buyer's member centre, join, ledgers, top-ups and
 * member code; the console's programme, members, adjustments, top-up refunds and liability;
 * the clerk's counter (in the console and on the mini-program's merchant pages). Spread into the
 * contract table.
 */
import { z } from 'zod';
import { access } from './auth';
import { endpoint } from './endpoint';
import {
  CounterLookupRequest,
  CounterMember,
  CounterPaymentRequest,
  CounterPurchaseRequest,
  CounterResult,
  JoinRequest,
  LedgerQuery,
  LiabilityReport,
  Member,
  MemberCardParams,
  MemberCode,
  MemberListQuery,
  MemberPage,
  MyMembership,
  PointsAdjustmentRequest,
  PointsEntry,
  PointsPage,
  Programme,
  ProgrammeSettings,
  TopUp,
  TopUpPayment,
  TopUpRequest,
  WalletEntryPage,
} from './membership';

const Id = z.object({ id: z.string().min(1).max(40) });

export const membershipEndpoints = {
  membershipProgramme: endpoint({
    method: 'GET',
    path: '/api/membership/programme',
    summary:
      'The shop’s programme as the member centre shows it: levels and benefits, earning, points value, top-up tiers',
    access: access.buyer,
    response: Programme,
  }),
  myMembership: endpoint({
    method: 'GET',
    path: '/api/membership/me',
    summary:
      'The buyer’s member centre: level, progress to the next, points, balance (principal and bonus); null before joining',
    access: access.buyer,
    response: MyMembership,
  }),
  joinMembership: endpoint({
    method: 'POST',
    path: '/api/membership/join',
    summary: 'Join with the phone-number button’s code (name optional); joining twice answers the member',
    access: access.buyer,
    body: JoinRequest,
    response: Member,
  }),
  myPoints: endpoint({
    method: 'GET',
    path: '/api/membership/me/points',
    summary: 'The buyer’s points history, newest first',
    access: access.buyer,
    query: LedgerQuery,
    response: PointsPage,
  }),
  myWallet: endpoint({
    method: 'GET',
    path: '/api/membership/me/wallet',
    summary: 'The buyer’s stored-value history (principal and bonus apart), newest first',
    access: access.buyer,
    query: LedgerQuery,
    response: WalletEntryPage,
  }),
  startTopUp: endpoint({
    method: 'POST',
    path: '/api/membership/top-ups',
    summary:
      'Top up one of the programme’s tiers: WeChat Pay prepay for it (the same request key resumes the same top-up)',
    access: access.buyer,
    body: TopUpRequest,
    response: TopUpPayment,
  }),
  myTopUp: endpoint({
    method: 'GET',
    path: '/api/membership/top-ups/:id',
    summary: 'One of the buyer’s top-ups and its state (PENDING until WeChat Pay’s notification credits it)',
    access: access.buyer,
    params: Id,
    response: TopUp,
  }),
  myMemberCard: endpoint({
    method: 'GET',
    path: '/api/membership/me/card',
    summary:
      'The WeChat member card to add with wx.addCard (the shop’s card, made on first need; outer_str = member number) and its state',
    access: access.buyer,
    response: MemberCardParams,
  }),
  myMemberCode: endpoint({
    method: 'POST',
    path: '/api/membership/me/code',
    summary: 'A fresh member code for the counter (QR and barcode): valid 60 s, usable once',
    access: access.buyer,
    response: MemberCode,
  }),

  adminMembershipProgramme: endpoint({
    method: 'GET',
    path: '/api/admin/membership/programme',
    summary: 'The programme settings (defaults until the owner first saves)',
    access: access.staff('owner', 'marketer'),
    response: Programme,
  }),
  saveMembershipProgramme: endpoint({
    method: 'PUT',
    path: '/api/admin/membership/programme',
    summary: 'Save the programme: levels and benefits, earning, points value and cap, expiry, top-up tiers (audited)',
    access: access.staff('owner'),
    body: ProgrammeSettings,
    response: Programme,
  }),
  adminListMembers: endpoint({
    method: 'GET',
    path: '/api/admin/membership/members',
    summary: 'Members, newest first; search by phone (4+ digits), member number or name; filter by level',
    access: access.staff('owner', 'marketer'),
    query: MemberListQuery,
    response: MemberPage,
  }),
  adminGetMember: endpoint({
    method: 'GET',
    path: '/api/admin/membership/members/:id',
    summary: 'One member with the whole phone number',
    access: access.staff('owner', 'marketer'),
    params: Id,
    response: Member,
  }),
  adminMemberPoints: endpoint({
    method: 'GET',
    path: '/api/admin/membership/members/:id/points',
    summary: 'A member’s points ledger, newest first',
    access: access.staff('owner', 'marketer'),
    params: Id,
    query: LedgerQuery,
    response: PointsPage,
  }),
  adminMemberWallet: endpoint({
    method: 'GET',
    path: '/api/admin/membership/members/:id/wallet',
    summary: 'A member’s stored-value ledger, newest first',
    access: access.staff('owner', 'marketer'),
    params: Id,
    query: LedgerQuery,
    response: WalletEntryPage,
  }),
  adminMemberTopUps: endpoint({
    method: 'GET',
    path: '/api/admin/membership/members/:id/top-ups',
    summary: 'A member’s top-ups, newest first (for refunding one)',
    access: access.staff('owner'),
    params: Id,
    response: z.object({ items: z.array(TopUp) }),
  }),
  adjustMemberPoints: endpoint({
    method: 'POST',
    path: '/api/admin/membership/members/:id/points-adjustments',
    summary: 'Add or take points with a reason (audited); the request key makes a retry a no-op',
    access: access.staff('owner'),
    params: Id,
    body: PointsAdjustmentRequest,
    response: PointsEntry,
  }),
  refundTopUp: endpoint({
    method: 'POST',
    path: '/api/admin/membership/top-ups/:id/refund',
    summary: 'Refund a top-up: its principal back through WeChat Pay, its bonus removed (409 when part is spent)',
    access: access.staff('owner'),
    params: Id,
    response: TopUp,
  }),
  membershipLiability: endpoint({
    method: 'GET',
    path: '/api/admin/membership/liability',
    summary:
      'Stored value owed to members (principal and bonus) from the ledger, beside the cached balances; points outstanding',
    access: access.staff('owner'),
    response: LiabilityReport,
  }),
  counterLookup: endpoint({
    method: 'POST',
    path: '/api/admin/membership/counter/lookup',
    summary: 'Read a scanned member code: the member, if the code is genuine, fresh and unused (does not use it)',
    access: access.staff('owner', 'clerk'),
    body: CounterLookupRequest,
    response: CounterMember,
  }),
  counterPurchase: endpoint({
    method: 'POST',
    path: '/api/admin/membership/counter/purchases',
    summary: 'Record an offline purchase with a member code: points and growth for the amount, once per request id',
    access: access.staff('owner', 'clerk'),
    body: CounterPurchaseRequest,
    response: CounterResult,
  }),
  counterPayment: endpoint({
    method: 'POST',
    path: '/api/admin/membership/counter/payments',
    summary: 'Take a payment from the member’s balance with a member code, once per request id',
    access: access.staff('owner', 'clerk'),
    body: CounterPaymentRequest,
    response: CounterResult,
  }),

  // The same counter on the mini-program's merchant pages (pkg-merchant/pages/counter), for a
  // staff member whose WeChat is bound (docs/decisions/0026-staff-wechat-binding.md).
  merchantCounterLookup: endpoint({
    method: 'POST',
    path: '/api/merchant/counter/lookup',
    summary: 'Read a scanned member code from the merchant pages (as counterLookup)',
    access: access.boundStaff('owner', 'clerk'),
    body: CounterLookupRequest,
    response: CounterMember,
  }),
  merchantCounterPurchase: endpoint({
    method: 'POST',
    path: '/api/merchant/counter/purchases',
    summary: 'Record an offline purchase from the merchant pages (as counterPurchase; once per request id)',
    access: access.boundStaff('owner', 'clerk'),
    body: CounterPurchaseRequest,
    response: CounterResult,
  }),
  merchantCounterPayment: endpoint({
    method: 'POST',
    path: '/api/merchant/counter/payments',
    summary:
      'Take a payment from the member’s balance from the merchant pages (as counterPayment; once per request id)',
    access: access.boundStaff('owner', 'clerk'),
    body: CounterPaymentRequest,
    response: CounterResult,
  }),
} as const;
