/**
 * Generated from the contract table: every integer a request may carry has bounds its column
 * can hold, its maximum + 1 is a 400 naming the field (never a 500 from the database), and
 * every date is a real calendar date. A route added tomorrow is checked by the same loop.
 */
import { fillPath, queryString, MAX_ORDER_TOTAL, MAX_PRICE } from '@chatmall/shared';
import { CalendarDate } from '@chatmall/shared';
import { startStack, type TestStack } from './support/harness';
import { isInteger, maxOf, objectAt, requestFields, unwrap, type FieldInfo } from './support/contract-walk';
import { api, makeBuyer, makeStaff } from './support/people';

/** The largest value an `int` column (MariaDB and SQLite alike here) holds. */
const INT_COLUMN_MAX = 2_147_483_647;

const integers = requestFields().filter((f) => isInteger(f.schema));
const label = (f: FieldInfo) => `${f.endpoint} ${f.part}.${f.path.join('.')}`;

describe('every integer field in the contract', () => {
  it.each(integers.map((f) => [label(f), f] as const))('%s has a maximum an int column holds', (_l, f) => {
    const max = maxOf(f);
    expect(Number.isFinite(max)).toBe(true);
    expect(max).toBeLessThanOrEqual(INT_COLUMN_MAX);
  });
});

let stack: TestStack;
let auth: { buyer: Record<string, string>; owner: Record<string, string>; boundOwner: Record<string, string> };
beforeAll(async () => {
  stack = await startStack();
  const owner = await makeStaff(stack.db, 'owner');
  // The merchant pages' routes: a buyer session whose WeChat is bound to an owner.
  const ownersPhone = await makeBuyer(stack.db, 'bounds_owner');
  const { body: issued } = await api(stack.baseUrl, 'POST', '/api/admin/me/wechat-binding', owner.auth);
  await api(stack.baseUrl, 'POST', '/api/merchant/binding', ownersPhone.auth, { code: issued.code });
  auth = { buyer: (await makeBuyer(stack.db, 'bounds')).auth, owner: owner.auth, boundOwner: ownersPhone.auth };
}, 60_000);
afterAll(async () => stack?.close());

/** A path parameter its schema accepts (the request must fail on the field under test, not on the path). */
function placeholder(e: FieldInfo['e'], name: string): string {
  const schema = (e.params as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> })
    .shape[name];
  const candidates = [
    'x_placeholder',
    'sku_placeholder1',
    'prod_placeholder',
    'cat_placeholder',
    'ord_placeholder',
    '1',
  ];
  return candidates.find((c) => schema.safeParse(c).success) ?? 'x_placeholder';
}

/** Sends a request whose only content is `value` at the field (other parts are filled with placeholders). */
async function sendOne(f: FieldInfo, value: unknown) {
  const e = f.e;
  const params: Record<string, string> = {};
  for (const m of e.path.matchAll(/:(\w+)/g)) params[m[1]] = placeholder(e, m[1]);
  if (f.part === 'params') params[String(f.path[0])] = String(value);
  const query = f.part === 'query' ? (objectAt(f.path, value) as Record<string, unknown>) : {};
  const who = { public: undefined, buyer: auth.buyer, staff: auth.owner, boundStaff: auth.boundOwner }[e.access.kind];
  const body = f.part === 'body' ? objectAt(f.path, value) : e.method === 'GET' ? undefined : {};
  return api(stack.baseUrl, e.method, fillPath(e.path, params) + queryString(query), who, body);
}

describe('maximum + 1 is refused before it reaches the database', () => {
  it.each(integers.map((f) => [label(f), f] as const))('%s', async (_l, f) => {
    const max = maxOf(f);
    const res = await sendOne(f, max + 1);
    expect(res.status).toBe(400);
    expect(res.body.fields.map((p: { path: string }) => p.path)).toContain([f.part, ...f.path].join('.'));
  });
});

describe('dates', () => {
  const dates = requestFields().filter((f) => /date$|Date$|^day$/.test(String(f.path.at(-1))));
  it('every date field in the contract is the one calendar-date schema', () => {
    for (const f of dates) expect([label(f), unwrap(f.declared) === CalendarDate]).toEqual([label(f), true]);
  });
  it.each(
    dates.flatMap((f) => ['2026-02-30', '2026-13-45', '2026-04-31', '20261130'].map((d) => [label(f), d, f] as const)),
  )('%s refuses %s with a 400 naming it', async (_l, d, f) => {
    const res = await sendOne(f, d);
    expect(res.status).toBe(400);
    expect(res.body.fields.map((p: { path: string }) => p.path)).toContain([f.part, ...f.path].join('.'));
  });
  it('a real date, including 29 February of a leap year, is accepted', async () => {
    const f = dates.find((d) => d.endpoint === 'adminReconciliation')!;
    expect((await sendOne(f, '2028-02-29')).status).toBe(200);
  });
});

describe('the largest amounts are stored and read back, and totals never overflow', () => {
  it('a SKU at the maximum price and stock is stored and read back unchanged', async () => {
    const created = await api(stack.baseUrl, 'POST', '/api/admin/products', auth.owner, {
      categoryId: 'cat_greentea',
      name: '极品大红袍',
      nameEn: 'Finest Da Hong Pao',
      skus: [{ specValues: [], price: MAX_PRICE, originalPrice: MAX_PRICE, stock: 1_000_000 }],
    });
    expect([created.status, created.body.fields]).toEqual([200, undefined]);
    const read = await api(stack.baseUrl, 'GET', `/api/admin/products/${created.body.id}`, auth.owner);
    expect(read.body.skus[0]).toMatchObject({ price: MAX_PRICE, originalPrice: MAX_PRICE, stock: 1_000_000 });
    await api(stack.baseUrl, 'POST', `/api/admin/products/${created.body.id}/publish`, auth.owner);

    // One unit at the maximum price is an order the database holds to the fen.
    const buyer = await makeBuyer(stack.db, 'bigspender');
    const skuId = read.body.skus[0].id as string;
    const one = await api(stack.baseUrl, 'POST', '/api/orders', buyer.auth, {
      clientKey: 'max-price-one-1',
      items: [{ skuId, quantity: 1 }],
      addressId: buyer.addressId,
    });
    expect(one.status).toBe(200);
    expect(one.body.price.itemsTotal).toBe(MAX_PRICE);
    expect((await api(stack.baseUrl, 'GET', `/api/orders/${one.body.id}`, buyer.auth)).body.price.payable).toBe(
      one.body.price.payable,
    );

    // The maximum quantity at the maximum price is over the order limit: a 400 naming the items.
    const most = await api(stack.baseUrl, 'POST', '/api/orders', buyer.auth, {
      clientKey: 'max-price-most-1',
      items: [{ skuId, quantity: 99 }],
      addressId: buyer.addressId,
    });
    expect(most.status).toBe(400);
    expect(most.body.fields[0].path).toBe('body.items');
    expect(MAX_ORDER_TOTAL).toBeLessThanOrEqual(INT_COLUMN_MAX);
  });
});
