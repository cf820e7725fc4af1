/**
 * A staff member's WeChat binding and the mini-program's merchant routes
 * (docs/decisions/0026-staff-wechat-binding.md): a code works once (also when two WeChats
 * race for it), expires, is replaced by the next; one WeChat binds one staff member (409);
 * the merchant routes act with the bound member's current role, and refuse an unbound buyer
 * and a disabled member's WeChat (403); a bound clerk ships from the queue, audited as the clerk.
 */
import { contract, type EndpointName, type StaffRole } from '@chatmall/shared';
import { AuditLogEntity } from '../src/modules/auth/audit-log.entity';
import { StaffWechatCodeEntity } from '../src/modules/auth/staff-wechat-code.entity';
import { StaffEntity } from '../src/modules/auth/staff.entity';
import { startStack, type TestStack } from './support/harness';
import { api, makeBuyer, makeStaff, type TestBuyer } from './support/people';

let stack: TestStack;
type Staff = Awaited<ReturnType<typeof makeStaff>>;

beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => stack?.close());

const call = (method: string, path: string, auth?: { authorization: string }, body?: unknown) =>
  api(stack.baseUrl, method, path, auth, body);
const issue = async (member: Staff) => {
  const res = await call('POST', '/api/admin/me/wechat-binding', member.auth);
  expect(res.status).toBe(200);
  return res.body as { code: string; expiresAt: string; pagePath: string };
};
const bind = (buyer: TestBuyer, code: string) => call('POST', '/api/merchant/binding', buyer.auth, { code });
const setStaff = (id: string, change: Partial<Pick<StaffEntity, 'role' | 'active'>>) =>
  stack.db.getRepository(StaffEntity).update({ id }, change);

describe('the one-time code', () => {
  it('answers 8 digits, ten minutes and the bind page, and is stored only as a hash', async () => {
    const clerk = await makeStaff(stack.db, 'clerk');
    const before = Date.now();
    const issued = await issue(clerk);
    expect(issued.code).toMatch(/^\d{8}$/);
    expect(issued.pagePath).toBe(`pkg-merchant/pages/bind/index?code=${issued.code}`);
    const ttl = Date.parse(issued.expiresAt) - before;
    expect(ttl).toBeGreaterThan(9.9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000 + 1000);
    const row = await stack.db.getRepository(StaffWechatCodeEntity).findOneByOrFail({ staffId: clerk.id });
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(issued.code);
    const audit = await stack.db.getRepository(AuditLogEntity).findOneByOrFail({ actorId: clerk.id });
    expect(audit.action).toBe('staff.wechat-code');
    expect(JSON.stringify(audit.detail)).not.toContain(issued.code);
  });

  it('binds exactly one of two WeChats that use it at the same moment', async () => {
    const clerk = await makeStaff(stack.db, 'clerk');
    const { code } = await issue(clerk);
    const buyers = await Promise.all([makeBuyer(stack.db, 'race_a'), makeBuyer(stack.db, 'race_b')]);
    const results = await Promise.all(buyers.map((b) => bind(b, code)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    const loser = results.find((r) => r.status === 400)!;
    expect(loser.body.fields).toEqual([{ path: 'body.code', message: 'is wrong, already used or expired' }]);
    const winner = buyers[results.findIndex((r) => r.status === 200)];
    const staff = await stack.db.getRepository(StaffEntity).findOneByOrFail({ id: clerk.id });
    expect(staff.openid).toMatch(new RegExp(`^o_race_[ab]_${winner.id.slice(-10)}$`));
    // And it does not work a third time.
    expect((await bind(await makeBuyer(stack.db, 'late'), code)).status).toBe(400);
  });

  it('stops working after ten minutes, and when a newer code is issued', async () => {
    const clerk = await makeStaff(stack.db, 'clerk');
    const buyer = await makeBuyer(stack.db, 'expiry');
    const actor = { kind: 'staff' as const, staffId: clerk.id, role: 'clerk' as const, sessionId: 'sess_test' };
    const old = await stack.app.services.wechatBinding.issue({}, actor, new Date(Date.now() - 10 * 60_000 - 1000));
    expect((await bind(buyer, old.code)).status).toBe(400);

    const first = await issue(clerk);
    const second = await issue(clerk);
    expect((await bind(buyer, first.code)).status).toBe(400);
    expect((await bind(buyer, second.code)).body).toEqual({
      bound: true,
      staff: { displayName: 'clerk', role: 'clerk' },
    });
  });

  it('refuses a malformed code before looking it up, and counts wrong codes per buyer (429 after 10)', async () => {
    const buyer = await makeBuyer(stack.db, 'guesser');
    const malformed = await bind(buyer, '12ab');
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields[0].path).toBe('body.code');
    for (let i = 0; i < 10; i++) expect((await bind(buyer, String(10_000_000 + i))).status).toBe(400);
    const refused = await bind(buyer, '10000099');
    expect(refused.status).toBe(429);
    // Another buyer is not held up by this one.
    const clerk = await makeStaff(stack.db, 'clerk');
    const { code } = await issue(clerk);
    expect((await bind(await makeBuyer(stack.db, 'honest'), code)).status).toBe(200);
  });

  it('one WeChat binds one staff member: a second member’s code answers 409 naming the field', async () => {
    const [clerk, owner] = [await makeStaff(stack.db, 'clerk'), await makeStaff(stack.db, 'owner')];
    const buyer = await makeBuyer(stack.db, 'twice');
    expect((await bind(buyer, (await issue(clerk)).code)).status).toBe(200);
    const { code } = await issue(owner);
    const conflict = await bind(buyer, code);
    expect(conflict.status).toBe(409);
    expect(conflict.body.fields).toEqual([
      { path: 'body.openid', message: 'is already bound to another staff member' },
    ]);
    expect(JSON.stringify(conflict.body)).not.toContain('o_twice');
    // Nothing changed: still the clerk's, and the owner's code still works once the clerk unbinds.
    expect((await call('GET', '/api/merchant/me', buyer.auth)).body.staff.role).toBe('clerk');
    expect((await call('DELETE', '/api/admin/me/wechat-binding', clerk.auth)).body).toEqual({
      bound: false,
      boundAt: null,
    });
    expect((await bind(buyer, code)).body.staff.role).toBe('owner');
    const status = await call('GET', '/api/admin/me/wechat-binding', owner.auth);
    expect(status.body.bound).toBe(true);
    expect(Date.parse(status.body.boundAt)).toBeGreaterThan(Date.now() - 60_000);
    // The owner's staff list says whose WeChat is bound.
    const listed = (await call('GET', '/api/admin/staff', owner.auth)).body.items as {
      id: string;
      wechatBound: boolean;
    }[];
    expect([clerk.id, owner.id].map((id) => listed.find((m) => m.id === id)?.wechatBound)).toEqual([false, true]);
    const actions = (await stack.db.getRepository(AuditLogEntity).findBy({ actorId: clerk.id })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['staff.wechat-bind', 'staff.wechat-unbind']));
  });
});

describe('the merchant routes', () => {
  let clerk: Staff;
  let clerkWechat: TestBuyer;

  beforeAll(async () => {
    clerk = await makeStaff(stack.db, 'clerk');
    clerkWechat = await makeBuyer(stack.db, 'clerk_phone');
    expect((await bind(clerkWechat, (await issue(clerk)).code)).status).toBe(200);
  });

  it('an unbound buyer reads {bound:false} and is refused every merchant route', async () => {
    const buyer = await makeBuyer(stack.db, 'plain');
    expect(await call('GET', '/api/merchant/me', buyer.auth)).toEqual({ status: 200, body: { bound: false } });
    for (const path of ['/api/merchant/today', '/api/merchant/orders/to-ship', '/api/merchant/refunds'])
      expect([path, (await call('GET', path, buyer.auth)).status]).toEqual([path, 403]);
  });

  it('the bound member’s current role applies, as in the console; a disabled member’s WeChat is refused', async () => {
    const member = await makeStaff(stack.db, 'clerk');
    const phone = await makeBuyer(stack.db, 'roles');
    expect((await bind(phone, (await issue(member)).code)).status).toBe(200);
    const approve = () =>
      call('POST', '/api/merchant/refunds/rf_00000000000000000000000000/approve', phone.auth, { restock: [] });

    expect((await call('GET', '/api/merchant/orders/to-ship', phone.auth)).status).toBe(200);
    expect((await approve()).status).toBe(403); // a clerk does not decide refunds
    await setStaff(member.id, { role: 'owner' });
    expect((await approve()).status).toBe(404); // allowed now: the refund does not exist
    await setStaff(member.id, { role: 'marketer' });
    expect((await call('GET', '/api/merchant/orders/to-ship', phone.auth)).status).toBe(403);
    expect((await call('GET', '/api/merchant/today', phone.auth)).status).toBe(200);
    expect((await call('GET', '/api/merchant/me', phone.auth)).body).toEqual({
      bound: true,
      staff: { displayName: 'clerk', role: 'marketer' },
    });

    await setStaff(member.id, { active: false });
    expect((await call('GET', '/api/merchant/today', phone.auth)).status).toBe(403);
    expect((await call('GET', '/api/merchant/me', phone.auth)).body).toEqual({ bound: false });
  });

  it('each merchant route allows exactly the roles of its console twin', () => {
    const twins: [EndpointName, EndpointName][] = [
      ['merchantToday', 'dashboardToday'],
      ['merchantShipQueue', 'adminListOrders'],
      ['merchantShipOrder', 'shipOrder'],
      ['merchantRefundRequests', 'adminListRefunds'],
      ['merchantApproveRefund', 'approveRefund'],
      ['merchantRejectRefund', 'rejectRefund'],
    ];
    const rolesOf = (n: EndpointName) => [...((contract[n].access as { roles: readonly StaffRole[] }).roles ?? [])];
    for (const [merchant, console] of twins) {
      expect(contract[merchant].access.kind).toBe('boundStaff');
      expect([merchant, rolesOf(merchant).sort()]).toEqual([merchant, rolesOf(console).sort()]);
    }
  });

  it('a bound clerk ships the longest-waiting paid order, audited as the clerk', async () => {
    const buyer = await makeBuyer(stack.db, 'customer');
    const placed = [];
    for (const key of ['ship-queue-0001', 'ship-queue-0002']) {
      const res = await call('POST', '/api/orders', buyer.auth, {
        clientKey: key,
        items: [{ skuId: 'sku_maofeng1', quantity: 1 }],
        addressId: buyer.addressId,
      });
      expect(res.status).toBe(200);
      placed.push(res.body as { id: string; orderNo: string; price: { payable: number } });
    }
    const unpaid = placed[1];
    const paid = placed[0];
    await stack.app.services.orders.markPaid({}, paid.orderNo, paid.price.payable, new Date());

    const queue = await call('GET', '/api/merchant/orders/to-ship', clerkWechat.auth);
    expect(queue.status).toBe(200);
    const ids = queue.body.items.map((o: { id: string }) => o.id);
    expect(ids).toContain(paid.id);
    expect(ids).not.toContain(unpaid.id);
    expect([...ids].sort()).toEqual(ids); // the longest waiting first
    expect(queue.body.items.every((o: { status: string }) => o.status === 'PAID')).toBe(true);

    const bad = await call('POST', `/api/merchant/orders/${paid.id}/ship`, clerkWechat.auth, {
      carrier: '顺丰速运',
      trackingNo: 'no',
    });
    expect(bad.status).toBe(400);
    const shipped = await call('POST', `/api/merchant/orders/${paid.id}/ship`, clerkWechat.auth, {
      carrier: '顺丰速运',
      trackingNo: 'SF1234567890',
    });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({
      status: 'SHIPPED',
      shipment: { carrier: '顺丰速运', trackingNo: 'SF1234567890' },
    });
    const again = await call('GET', '/api/merchant/orders/to-ship', clerkWechat.auth);
    expect(again.body.items.map((o: { id: string }) => o.id)).not.toContain(paid.id);
    const audit = await stack.db
      .getRepository(AuditLogEntity)
      .findOneByOrFail({ action: 'order.ship', entityId: paid.id });
    expect([audit.actorId, audit.actorRole]).toEqual([clerk.id, 'clerk']);
  });

  it('lists refund requests and today’s numbers for the bound clerk', async () => {
    const refunds = await call('GET', '/api/merchant/refunds', clerkWechat.auth);
    expect(refunds.status).toBe(200);
    expect(refunds.body.items.every((r: { status: string }) => r.status === 'REQUESTED')).toBe(true);
    const today = await call('GET', '/api/merchant/today', clerkWechat.auth);
    expect(today.status).toBe(200);
    expect(today.body).toEqual((await call('GET', '/api/admin/dashboard/today', clerk.auth)).body);
  });
});
