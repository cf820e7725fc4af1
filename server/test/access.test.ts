/**
 * Access rules for every route, generated from the contract table so that a new route
 * cannot be missed: anonymous callers get 401, the wrong kind of caller or role gets 403,
 * and a buyer asking for another buyer's order, cart line or address gets 404. The
 * mini-program's merchant routes (`access.boundStaff`) refuse staff sessions, a buyer whose
 * WeChat is not bound, and a buyer bound to a staff member of another role.
 */
import { contract, fillPath, type Endpoint, type StaffRole } from '@chatmall/shared';
import { startStack, type TestStack } from './support/harness';
import { api, makeBuyer, makeStaff, type TestBuyer } from './support/people';

const endpoints = Object.entries(contract) as [string, Endpoint][];
const roles: StaffRole[] = ['owner', 'marketer', 'clerk'];
const samplePath = (e: Endpoint) =>
  fillPath(e.path, {
    id: 'ord_00000000000000000000000000',
    skuId: 'sku_longjing1',
    productId: 'prod_longjing',
    refundId: 'rf_00000000000000000000000000',
  });

let stack: TestStack;
let buyerA: TestBuyer;
let buyerB: TestBuyer;
const staff = {} as Record<StaffRole, { auth: { authorization: string } }>;
/** Buyers whose WeChat is bound (through the binding API) to a staff member of each role. */
const boundBuyer = {} as Record<StaffRole, TestBuyer>;

beforeAll(async () => {
  stack = await startStack();
  buyerA = await makeBuyer(stack.db, 'alice');
  buyerB = await makeBuyer(stack.db, 'bob');
  for (const r of roles) staff[r] = await makeStaff(stack.db, r);
  for (const r of roles) {
    // Their own staff members: the generated checks below unbind the members in `staff`.
    const member = await makeStaff(stack.db, r);
    boundBuyer[r] = await makeBuyer(stack.db, `bound_${r}`);
    const { body: issued } = await api(stack.baseUrl, 'POST', '/api/admin/me/wechat-binding', member.auth);
    const bound = await api(stack.baseUrl, 'POST', '/api/merchant/binding', boundBuyer[r].auth, { code: issued.code });
    expect(bound.body).toEqual({ bound: true, staff: { displayName: r, role: r } });
  }
}, 60_000);
afterAll(async () => stack?.close());

it('every contract entry is served by the app', async () => {
  const { compose } = await import('../src/main/compose');
  const { api: router } = compose({ ...stack, loginCodes: { exchange: async () => ({ openid: 'x' }) } });
  const bound = new Set(router.bound.map((e) => `${e.method} ${e.path}`));
  expect(endpoints.map(([, e]) => `${e.method} ${e.path}`).filter((k) => !bound.has(k))).toEqual([]);
});

describe.each(endpoints.filter(([, e]) => e.access.kind !== 'public'))('%s', (_name, e) => {
  it('answers 401 to an anonymous caller and to an unknown token', async () => {
    expect((await api(stack.baseUrl, e.method, samplePath(e))).status).toBe(401);
    expect((await api(stack.baseUrl, e.method, samplePath(e), { authorization: 'Bearer at_forged' })).status).toBe(401);
  });

  if (e.access.kind === 'buyer') {
    it('answers 403 to staff (buyer routes are for buyers)', async () => {
      expect((await api(stack.baseUrl, e.method, samplePath(e), staff.owner.auth)).status).toBe(403);
    });
  }

  if (e.access.kind === 'staff') {
    const allowed = e.access.roles;
    it(`answers 403 to buyers and to roles other than ${allowed.join('/')}`, async () => {
      expect((await api(stack.baseUrl, e.method, samplePath(e), buyerA.auth)).status).toBe(403);
      for (const r of roles.filter((x) => !allowed.includes(x))) {
        expect((await api(stack.baseUrl, e.method, samplePath(e), staff[r].auth)).status).toBe(403);
      }
      for (const r of allowed)
        expect([401, 403]).not.toContain((await api(stack.baseUrl, e.method, samplePath(e), staff[r].auth)).status);
    });
  }
});

describe.each(endpoints.filter(([, e]) => e.access.kind === 'boundStaff'))('%s (merchant pages)', (_name, e) => {
  const allowed = e.access.kind === 'boundStaff' ? e.access.roles : [];
  it(`answers 403 to staff sessions, an unbound buyer and WeChats bound to roles other than ${allowed.join('/')}`, async () => {
    const status = async (auth: { authorization: string }) =>
      (await api(stack.baseUrl, e.method, samplePath(e), auth)).status;
    for (const r of roles) expect([r, await status(staff[r].auth)]).toEqual([r, 403]);
    expect(await status(buyerA.auth)).toBe(403);
    for (const r of roles.filter((x) => !allowed.includes(x)))
      expect([r, await status(boundBuyer[r].auth)]).toEqual([r, 403]);
    for (const r of allowed) expect([401, 403]).not.toContain(await status(boundBuyer[r].auth));
  });
});

describe('one buyer cannot reach another buyer’s things', () => {
  it('another buyer’s order, address and cart answer 404 or stay untouched', async () => {
    const order = await api(stack.baseUrl, 'POST', '/api/orders', buyerA.auth, {
      clientKey: 'alice-order-0001',
      items: [{ skuId: 'sku_maofeng1', quantity: 1 }],
      addressId: buyerA.addressId,
    });
    expect(order.status).toBe(200);
    await api(stack.baseUrl, 'POST', '/api/cart/items', buyerA.auth, { skuId: 'sku_maofeng1', quantity: 2 });

    for (const [method, p] of [
      ['GET', `/api/orders/${order.body.id}`],
      ['POST', `/api/orders/${order.body.id}/cancel`],
      ['POST', `/api/orders/${order.body.id}/confirm-receipt`],
      ['PATCH', `/api/addresses/${buyerA.addressId}`],
      ['DELETE', `/api/addresses/${buyerA.addressId}`],
    ] as const) {
      const res = await api(
        stack.baseUrl,
        method,
        p,
        buyerB.auth,
        method === 'PATCH' ? { detail: '改到我家' } : undefined,
      );
      expect([p, res.status]).toEqual([p, 404]);
    }
    expect((await api(stack.baseUrl, 'GET', '/api/orders', buyerB.auth)).body.items).toEqual([]);
    expect(
      (await api(stack.baseUrl, 'GET', '/api/addresses', buyerB.auth)).body.items.map((a: { id: string }) => a.id),
    ).not.toContain(buyerA.addressId);
    expect((await api(stack.baseUrl, 'GET', '/api/cart', buyerB.auth)).body.lines).toEqual([]);
    await api(stack.baseUrl, 'DELETE', '/api/cart/items/sku_maofeng1', buyerB.auth);
    expect(
      (await api(stack.baseUrl, 'GET', '/api/cart', buyerA.auth)).body.lines.map((l: { skuId: string }) => l.skuId),
    ).toEqual(['sku_maofeng1']);
    expect((await api(stack.baseUrl, 'GET', `/api/orders/${order.body.id}`, buyerA.auth)).body.status).toBe(
      'PENDING_PAYMENT',
    );
  });
});
