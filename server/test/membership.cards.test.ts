/**
 * The WeChat member card in step with the ledgers (acceptance 4), against the sandbox: the
 * card class is made once per shop; the member takes the card (user_get_card with their member
 * number as OuterStr), it is activated with their points and balance; then, with the sandbox
 * failing `card/membercard/updateuser` for the first tries, every change's sync job retries with
 * backoff and the card ends with points and balance equal to the ledger, each change applied
 * once (absolute values); deleting the card is recorded.
 */
import { newId, type ProgrammeSettings } from '@chatmall/shared';
import { startJobs } from '../src/main/jobs';
import { MemberEntity } from '../src/modules/membership/membership.entity';
import { makeMemberCode } from '../src/modules/membership/member-code';
import { defaultProgramme } from '../src/modules/membership/programme.service';
import { api, makeStaff } from './support/people';
import { startPayStack, waitFor, type PayStack } from './support/pay-stack';

jest.setTimeout(90_000);
let p: PayStack;
let jobs: Awaited<ReturnType<typeof startJobs>>;
let owner: Awaited<ReturnType<typeof makeStaff>>;
let clerk: Awaited<ReturnType<typeof makeStaff>>;
const settings: ProgrammeSettings = { ...defaultProgramme, enabled: true };

beforeAll(async () => {
  p = await startPayStack();
  jobs = await startJobs(p.app, { only: ['membership'] });
  owner = await makeStaff(p.stack.db, 'owner');
  clerk = await makeStaff(p.stack.db, 'clerk');
  expect((await api(p.apiUrl, 'PUT', '/api/admin/membership/programme', owner.auth, settings)).status).toBe(200);
  const { code } = (await p.sandboxCall('POST', `/sandbox/mp/users/${p.buyer.openid}/phone-code`, {})).body;
  expect((await api(p.apiUrl, 'POST', '/api/membership/join', p.buyer.auth, { phoneCode: code })).status).toBe(200);
}, 90_000);
afterAll(async () => {
  await jobs?.stop();
  await p?.close();
});

const member = () => p.stack.db.getRepository(MemberEntity).findOneByOrFail({ buyerId: p.buyer.id });
const card = async () =>
  (await p.sandboxCall('GET', `/sandbox/cards/users/${p.buyer.openid}/cards`)).body.cards[0] as
    | {
        cardId: string;
        code: string;
        activated: boolean;
        bonus: number;
        balance: number;
        status: string;
        customFields: { value: string }[];
      }
    | undefined;
const key = () => newId('order').slice(4, 30);

it('the card class is made once; taking the card activates it with the member’s points and balance', async () => {
  // Five member centres opened at once on a shop without a card yet: one card class.
  const opened = await Promise.all(
    Array.from({ length: 5 }, () => api(p.apiUrl, 'GET', '/api/membership/me/card', p.buyer.auth)),
  );
  expect(opened.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  const first = opened[0];
  expect(new Set(opened.map((r) => r.body.cardId)).size).toBe(1);
  expect(first.body.status).toBe('NONE');
  const passChecks = async () =>
    ((await p.sandboxCall('GET', '/sandbox/oa/deliveries')).body.deliveries as { summary: string }[]).filter((d) =>
      d.summary.startsWith('event:card_pass_check'),
    );
  await waitFor(passChecks, (d) => d.length > 0);
  await new Promise((r) => setTimeout(r, 300));
  // WeChat reviews each card class it is asked to make: one review, so one class.
  expect(await passChecks()).toHaveLength(1);
  const m = await member();
  expect(first.body.outerStr).toBe(m.memberNo);
  // Points before the card: activation brings them.
  await api(p.apiUrl, 'POST', `/api/admin/membership/members/${m.id}/points-adjustments`, owner.auth, {
    delta: 120,
    reason: '入会礼 welcome',
    requestKey: key(),
  });
  // wx.addCard with the signed cardExt: a tampered one is refused, the real one takes the card.
  const tampered = JSON.stringify({ ...JSON.parse(first.body.cardExt), outer_str: '9999999999' });
  const refused = await p.sandboxCall('POST', `/sandbox/cards/users/${p.buyer.openid}/get`, {
    cardId: first.body.cardId,
    cardExt: tampered.replace(/"signature":"[0-9a-f]{40}"/, '"signature":"0000000000000000000000000000000000000000"'),
  });
  expect(refused.status).toBe(400);
  const got = await p.sandboxCall('POST', `/sandbox/cards/users/${p.buyer.openid}/get`, {
    cardId: first.body.cardId,
    cardExt: first.body.cardExt,
  });
  expect(got.status).toBe(200);
  const activated = await waitFor(card, (c) => !!c?.activated);
  expect(activated).toMatchObject({ activated: true, bonus: 120, balance: 0, customFields: [{ value: '普通会员' }] });
  expect(await waitFor(member, (x) => x.cardStatus === 'ACTIVE')).toMatchObject({ cardCode: got.body.code });
});

it('with updateuser failing for the first tries, the card ends equal to the ledger, each change once', async () => {
  await p.sandboxCall('POST', '/sandbox/platform/faults', {
    path: '/card/membercard/updateuser',
    errcode: -1,
    times: 3,
  });
  const m = await member();
  // Points in and out, a top-up with its bonus, a payment at the counter.
  for (const delta of [300, -50, 75])
    expect(
      (
        await api(p.apiUrl, 'POST', `/api/admin/membership/members/${m.id}/points-adjustments`, owner.auth, {
          delta,
          reason: '调整 adjustment',
          requestKey: key(),
        })
      ).status,
    ).toBe(200);
  const topUp = await api(p.apiUrl, 'POST', '/api/membership/top-ups', p.buyer.auth, {
    pay: 10_000,
    requestKey: key(),
  });
  await p.sandboxCall('POST', `/sandbox/pay/prepay/${topUp.body.prepayId}/pay`);
  await waitFor(member, (x) => x.balancePrincipal > 0);
  const paid = await api(p.apiUrl, 'POST', '/api/admin/membership/counter/payments', clerk.auth, {
    code: makeMemberCode(m).code,
    amount: 2_500,
    requestId: key(),
  });
  expect(paid.status).toBe(200);

  const now = await member();
  expect([now.points, now.balancePrincipal + now.balanceBonus]).toEqual([120 + 300 - 50 + 75, 11_000 - 2_500]);
  const synced = await waitFor(
    card,
    (c) => c?.bonus === now.points && c?.balance === now.balancePrincipal + now.balanceBonus,
    60_000,
  );
  expect([synced?.bonus, synced?.balance]).toEqual([445, 8_500]);
  // The injected errors were met (and used up): the jobs retried through them.
  const faults = (await p.sandboxCall('GET', '/sandbox/platform/stats')).body.faults;
  expect(faults?.errors?.['/card/membercard/updateuser']?.times ?? 0).toBe(0);
  // Settled: nothing more moves it.
  await new Promise((r) => setTimeout(r, 1500));
  expect(await card()).toMatchObject({ bonus: 445, balance: 8_500 });
});

it('deleting the card from the card pack is recorded; later changes do not sync to it', async () => {
  expect((await p.sandboxCall('POST', `/sandbox/cards/users/${p.buyer.openid}/delete`, {})).status).toBe(200);
  await waitFor(member, (x) => x.cardStatus === 'REMOVED');
  const me = await api(p.apiUrl, 'GET', '/api/membership/me', p.buyer.auth);
  expect(me.body.member.card).toEqual({ status: 'REMOVED' });
  const m = await member();
  await api(p.apiUrl, 'POST', `/api/admin/membership/members/${m.id}/points-adjustments`, owner.auth, {
    delta: 10,
    reason: '调整 adjustment',
    requestKey: key(),
  });
  await new Promise((r) => setTimeout(r, 1500));
  expect(await card()).toMatchObject({ bonus: 445, status: 'DELETE' });
});
