/**
 * The member code at the counter (acceptance 5): a code older than 60 s, a code used twice and
 * a code with any digit changed are refused (400 on body.code) and change nothing; a clerk's
 * offline purchase credits points and growth once however often the till retries it (in turn
 * and at once); only clerks and owners use the counter. The same counter on the mini-program's
 * merchant pages (/api/merchant/counter/*) works for a bound clerk or owner, answers a retried
 * sale once, and refuses an unbound buyer, a bound marketer and a console session (403).
 */
import { randomBytes } from 'node:crypto';
import { newId, type ProgrammeSettings } from '@chatmall/shared';
import { MemberEntity } from '../src/modules/membership/membership.entity';
import { makeMemberCode } from '../src/modules/membership/member-code';
import { defaultProgramme } from '../src/modules/membership/programme.service';
import { startStack, type TestStack } from './support/harness';
import { api, makeBuyer, makeStaff } from './support/people';

let stack: TestStack;
let clerk: Awaited<ReturnType<typeof makeStaff>>;
let owner: Awaited<ReturnType<typeof makeStaff>>;
const settings: ProgrammeSettings = { ...defaultProgramme, enabled: true };

beforeAll(async () => {
  stack = await startStack();
  clerk = await makeStaff(stack.db, 'clerk');
  owner = await makeStaff(stack.db, 'owner');
  expect((await api(stack.baseUrl, 'PUT', '/api/admin/membership/programme', owner.auth, settings)).status).toBe(200);
}, 60_000);
afterAll(async () => stack?.close());

let seq = 0;
/** A member row as joining makes it (the join itself is covered with the sandbox's phone codes). */
async function makeMember() {
  const buyer = await makeBuyer(stack.db, `m${++seq}`);
  const row = {
    id: newId('member'),
    buyerId: buyer.id,
    memberNo: String(1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)),
    phone: '13700001111',
    name: `会员${seq}`,
    levelIndex: 0,
    codeSecret: randomBytes(32).toString('hex'),
    cardStatus: 'NONE' as const,
  };
  await stack.db.getRepository(MemberEntity).insert(row);
  return { buyer, member: await stack.db.getRepository(MemberEntity).findOneByOrFail({ id: row.id }) };
}
const memberRow = (id: string) => stack.db.getRepository(MemberEntity).findOneByOrFail({ id });
const purchase = (body: Record<string, unknown>, auth = clerk.auth) =>
  api(stack.baseUrl, 'POST', '/api/admin/membership/counter/purchases', auth, body);
const requestId = () => newId('order').slice(4, 30);

describe('member codes', () => {
  it('the member centre’s code works once at the counter; a second use is refused', async () => {
    const { buyer, member } = await makeMember();
    const mine = await api(stack.baseUrl, 'POST', '/api/membership/me/code', buyer.auth);
    expect(mine.status).toBe(200);
    expect(mine.body.code).toMatch(/^\d{24}$/);
    expect(mine.body.validSeconds).toBe(60);
    const lookup = await api(stack.baseUrl, 'POST', '/api/admin/membership/counter/lookup', clerk.auth, {
      code: mine.body.code,
    });
    expect(lookup.body).toMatchObject({ memberId: member.id, phone: '137****1111', points: 0 });
    const first = await purchase({ code: mine.body.code, amount: 8_800, requestId: requestId() });
    expect([first.status, first.body.pointsEarned, first.body.replayed]).toEqual([200, 88, false]);
    const second = await purchase({ code: mine.body.code, amount: 8_800, requestId: requestId() });
    expect([second.status, second.body.fields[0].path, second.body.fields[0].message]).toEqual([
      400,
      'body.code',
      expect.stringContaining('used'),
    ]);
    expect((await memberRow(member.id)).points).toBe(88);
  });

  it('a code older than 60 s is refused; one 59 s old is accepted', async () => {
    const { member } = await makeMember();
    const old = makeMemberCode(member, Date.now() - 61_000).code;
    const res = await purchase({ code: old, amount: 1_000, requestId: requestId() });
    expect([res.status, res.body.fields[0].message]).toEqual([400, expect.stringContaining('expired')]);
    const fresh = makeMemberCode(member, Date.now() - 59_000).code;
    expect((await purchase({ code: fresh, amount: 1_000, requestId: requestId() })).status).toBe(200);
    expect((await memberRow(member.id)).points).toBe(10);
  });

  it('a code with any one digit changed is refused and changes nothing', async () => {
    const { member } = await makeMember();
    const { code } = makeMemberCode(member);
    const results = await Promise.all(
      Array.from(code, (d, i) => {
        const forged = code.slice(0, i) + String((Number(d) + 1) % 10) + code.slice(i + 1);
        return purchase({ code: forged, amount: 1_000, requestId: requestId() });
      }),
    );
    expect(results.map((r) => r.status)).toEqual(Array.from(code, () => 400));
    expect(new Set(results.map((r) => r.body.fields[0].path))).toEqual(new Set(['body.code']));
    expect((await memberRow(member.id)).points).toBe(0);
    // The genuine code still works: the forgeries did not use it up.
    expect((await purchase({ code, amount: 1_000, requestId: requestId() })).status).toBe(200);
  });

  it('a buyer or a marketer cannot use the counter', async () => {
    const { buyer, member } = await makeMember();
    const marketer = await makeStaff(stack.db, 'marketer');
    const body = { code: makeMemberCode(member).code, amount: 1_000, requestId: requestId() };
    expect((await purchase(body, buyer.auth)).status).toBe(403);
    expect((await purchase(body, marketer.auth)).status).toBe(403);
  });
});

describe('offline purchases', () => {
  it('retried by the till with its request id, in turn and ten at once, credit points and growth once', async () => {
    const { member } = await makeMember();
    const id = requestId();
    const body = { code: makeMemberCode(member).code, amount: 12_345, requestId: id };
    const first = await purchase(body);
    expect([first.status, first.body.pointsEarned]).toEqual([200, 123]);
    const retry = await purchase(body);
    expect([retry.status, retry.body.replayed, retry.body.pointsEarned]).toEqual([200, true, 123]);

    const id2 = requestId();
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => purchase({ code: makeMemberCode(member).code, amount: 10_000, requestId: id2 })),
    );
    const ok = burst.filter((r) => r.status === 200);
    expect(ok.filter((r) => !r.body.replayed)).toHaveLength(1);
    // The others either answer the recorded sale or were refused for a code another retry used.
    for (const r of burst.filter((x) => x.status !== 200)) expect(r.body.fields[0].path).toBe('body.code');
    const after = await memberRow(member.id);
    expect([after.points, after.spendTotal, after.growth]).toEqual([123 + 100, 22_345, 223]);
    const [{ n }] = await stack.db.query(
      "SELECT COUNT(*) AS n FROM points_entries WHERE member_id = ? AND kind = 'OFFLINE'",
      [member.id],
    );
    expect(Number(n)).toBe(2);
  });

  it('a balance payment larger than the balance is 409 INSUFFICIENT_BALANCE and leaves the code usable', async () => {
    const { member } = await makeMember();
    const { code } = makeMemberCode(member);
    const res = await api(stack.baseUrl, 'POST', '/api/admin/membership/counter/payments', clerk.auth, {
      code,
      amount: 100,
      requestId: requestId(),
    });
    expect([res.status, res.body.code]).toEqual([409, 'INSUFFICIENT_BALANCE']);
    expect((await purchase({ code, amount: 100, requestId: requestId() })).status).toBe(200);
  });
});

describe('the counter on the mini-program’s merchant pages', () => {
  /** A buyer whose WeChat is bound to the staff member (the console's one-time code, used on the phone). */
  async function boundWechat(staff: { auth: { authorization: string } }, name: string) {
    const issued = await api(stack.baseUrl, 'POST', '/api/admin/me/wechat-binding', staff.auth);
    expect(issued.status).toBe(200);
    const phone = await makeBuyer(stack.db, name);
    const bound = await api(stack.baseUrl, 'POST', '/api/merchant/binding', phone.auth, { code: issued.body.code });
    expect([bound.status, bound.body.bound]).toEqual([200, true]);
    return phone;
  }
  const merchant = (path: string, auth: { authorization: string }, body: Record<string, unknown>) =>
    api(stack.baseUrl, 'POST', `/api/merchant/counter/${path}`, auth, body);

  it('a bound clerk looks up a code and records a purchase once however often it is retried; the code then works no more', async () => {
    const clerkPhone = await boundWechat(await makeStaff(stack.db, 'clerk'), 'clerkphone');
    const { buyer, member } = await makeMember();
    const { body: mine } = await api(stack.baseUrl, 'POST', '/api/membership/me/code', buyer.auth);
    const lookup = await merchant('lookup', clerkPhone.auth, { code: mine.code });
    expect([lookup.status, lookup.body]).toEqual([
      200,
      expect.objectContaining({ memberId: member.id, phone: '137****1111', points: 0, balance: 0 }),
    ]);

    const body = { code: mine.code, amount: 5_800, requestId: requestId() };
    const first = await merchant('purchases', clerkPhone.auth, body);
    expect([first.status, first.body.pointsEarned, first.body.replayed, first.body.member.points]).toEqual([
      200,
      58,
      false,
      58,
    ]);
    const retries = await Promise.all(Array.from({ length: 3 }, () => merchant('purchases', clerkPhone.auth, body)));
    for (const r of retries)
      expect([r.status, r.body.replayed, r.body.pointsEarned, r.body.member.points]).toEqual([200, true, 58, 58]);
    const history = await api(stack.baseUrl, 'GET', '/api/membership/me/points', buyer.auth);
    expect(history.body.items).toEqual([expect.objectContaining({ kind: 'OFFLINE', delta: 58, balanceAfter: 58 })]);

    // A new sale with the same code: refused as used, at the lookup and at the sale.
    for (const res of [
      await merchant('lookup', clerkPhone.auth, { code: mine.code }),
      await merchant('purchases', clerkPhone.auth, { ...body, requestId: requestId() }),
    ])
      expect([res.status, res.body.fields[0].path, res.body.fields[0].message]).toEqual([
        400,
        'body.code',
        expect.stringContaining('已使用'),
      ]);
    expect((await memberRow(member.id)).points).toBe(58);
  });

  it('a bound owner takes a balance payment once per request id; more than the balance is 409 INSUFFICIENT_BALANCE', async () => {
    const ownerPhone = await boundWechat(await makeStaff(stack.db, 'owner'), 'ownerphone');
    const { member } = await makeMember();
    await stack.app.services.wallet.apply({}, member.id, {
      kind: 'TOP_UP',
      principal: 10_000,
      bonus: 0,
      sourceKey: `test-top-up:${member.id}`,
      record: '充值 ¥100.00',
    });
    const tooMuch = await merchant('payments', ownerPhone.auth, {
      code: makeMemberCode(member).code,
      amount: 10_001,
      requestId: requestId(),
    });
    expect([tooMuch.status, tooMuch.body.code]).toEqual([409, 'INSUFFICIENT_BALANCE']);
    const body = { code: makeMemberCode(member).code, amount: 3_000, requestId: requestId() };
    const paid = await merchant('payments', ownerPhone.auth, body);
    expect([paid.status, paid.body.paid, paid.body.replayed, paid.body.member.balance]).toEqual([
      200,
      3_000,
      false,
      7_000,
    ]);
    const retry = await merchant('payments', ownerPhone.auth, body);
    expect([retry.status, retry.body.paid, retry.body.replayed, retry.body.member.balance]).toEqual([
      200,
      3_000,
      true,
      7_000,
    ]);
    expect((await memberRow(member.id)).balancePrincipal).toBe(7_000);
  });

  it('refuses an unbound buyer, a bound marketer and a console session (403), and changes nothing', async () => {
    const { buyer, member } = await makeMember();
    const marketerPhone = await boundWechat(await makeStaff(stack.db, 'marketer'), 'mktphone');
    const code = makeMemberCode(member).code;
    for (const auth of [buyer.auth, marketerPhone.auth, clerk.auth]) {
      expect((await merchant('lookup', auth, { code })).status).toBe(403);
      expect((await merchant('purchases', auth, { code, amount: 1_000, requestId: requestId() })).status).toBe(403);
      expect((await merchant('payments', auth, { code, amount: 1_000, requestId: requestId() })).status).toBe(403);
    }
    expect((await memberRow(member.id)).points).toBe(0);
    // None of them used the code: the console's counter still takes it.
    const desk = await purchase({ code, amount: 1_000, requestId: requestId() });
    expect([desk.status, desk.body.pointsEarned]).toEqual([200, 10]);
  });
});
