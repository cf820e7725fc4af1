/** Bad checkout input gets 400 naming the field, and changes nothing: no order, no stock taken. */
import { SkuEntity } from '../src/modules/catalog/sku.entity';
import { OrderEntity } from '../src/modules/orders/order.entity';
import { startStack, type TestStack } from './support/harness';
import { api, makeBuyer, type TestBuyer } from './support/people';

let stack: TestStack;
let buyer: TestBuyer;
let other: TestBuyer;
beforeAll(async () => {
  stack = await startStack();
  buyer = await makeBuyer(stack.db);
  other = await makeBuyer(stack.db, 'other');
}, 60_000);
afterAll(async () => stack?.close());

const good = () => ({
  clientKey: `input-${Math.random().toString(36).slice(2, 12)}`,
  items: [{ skuId: 'sku_longjing1', quantity: 1 }],
  addressId: buyer.addressId,
});

it.each([
  ['a negative quantity', (b: any) => (b.items[0].quantity = -1), 'body.items.0.quantity'],
  ['a zero quantity', (b: any) => (b.items[0].quantity = 0), 'body.items.0.quantity'],
  ['a fractional quantity', (b: any) => (b.items[0].quantity = 1.5), 'body.items.0.quantity'],
  ['a quantity as text', (b: any) => (b.items[0].quantity = '2'), 'body.items.0.quantity'],
  ['an unknown SKU', (b: any) => (b.items[0].skuId = 'sku_doesnotexist'), 'body.items.0.skuId'],
  ['a malformed SKU id', (b: any) => (b.items[0].skuId = 'DROP TABLE'), 'body.items.0.skuId'],
  ['no items', (b: any) => (b.items = []), 'body.items'],
  ['a malformed client key', (b: any) => (b.clientKey = 'x'), 'body.clientKey'],
  ['another buyer’s address', (b: any) => (b.addressId = other.addressId), 'body.addressId'],
])('%s → 400 naming the field, nothing written', async (_what, mutate, field) => {
  const stockBefore = (await stack.db.getRepository(SkuEntity).findOneByOrFail({ id: 'sku_longjing1' })).stock;
  const ordersBefore = await stack.db.getRepository(OrderEntity).count();
  const body = good();
  mutate(body);
  const res = await api(stack.baseUrl, 'POST', '/api/orders', buyer.auth, body);
  expect(res.status).toBe(400);
  expect(res.body.code).toBe('VALIDATION_FAILED');
  expect(res.body.fields.map((f: { path: string }) => f.path)).toContain(field);
  expect(await stack.db.getRepository(OrderEntity).count()).toBe(ordersBefore);
  expect((await stack.db.getRepository(SkuEntity).findOneByOrFail({ id: 'sku_longjing1' })).stock).toBe(stockBefore);
});

it('cart: a negative quantity or unknown SKU → 400 naming the field, cart unchanged', async () => {
  const neg = await api(stack.baseUrl, 'POST', '/api/cart/items', buyer.auth, { skuId: 'sku_longjing1', quantity: -2 });
  expect(neg.status).toBe(400);
  expect(neg.body.fields[0].path).toBe('body.quantity');
  const unknown = await api(stack.baseUrl, 'POST', '/api/cart/items', buyer.auth, { skuId: 'sku_nope', quantity: 1 });
  expect(unknown.status).toBe(400);
  expect(unknown.body.fields[0].path).toBe('body.skuId');
  expect((await api(stack.baseUrl, 'GET', '/api/cart', buyer.auth)).body.lines).toEqual([]);
});

it('addresses: a bad phone number → 400 naming body.phone', async () => {
  const res = await api(stack.baseUrl, 'POST', '/api/addresses', buyer.auth, {
    recipient: '李四',
    phone: '12345',
    province: '上海市',
    city: '上海市',
    detail: '南京路 1 号',
  });
  expect(res.status).toBe(400);
  expect(res.body.fields[0].path).toBe('body.phone');
});

it('a checkout preview prices the lines with the shipping rule', async () => {
  const small = await api(stack.baseUrl, 'POST', '/api/checkout/preview', buyer.auth, {
    items: [{ skuId: 'sku_melonseeds1', quantity: 1 }],
  });
  // The preview is the full checkout price now (coupons judged, payment parts): these parts as before.
  expect(small.body).toMatchObject({ itemsTotal: 1290, adjustments: [], shippingFee: 1000, payable: 2290 });
  const big = await api(stack.baseUrl, 'POST', '/api/checkout/preview', buyer.auth, {
    items: [{ skuId: 'sku_longjing2', quantity: 1 }],
  });
  expect(big.body).toMatchObject({ itemsTotal: 12800, adjustments: [], shippingFee: 0, payable: 12800 });
});
