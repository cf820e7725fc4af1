/**
 * The last units of a SKU under a stampede, on MariaDB: 200 buyers at once ask for the
 * last 50 units. Exactly 50 orders succeed, the rest get OUT_OF_STOCK, and stock ends at
 * 0 — never below.
 */
import { SkuEntity } from '../src/modules/catalog/sku.entity';
import { OrderEntity } from '../src/modules/orders/order.entity';
import { startStack, type TestStack } from './support/harness';
import { api, makeBuyer, type TestBuyer } from './support/people';

let stack: TestStack;
let buyers: TestBuyer[];
beforeAll(async () => {
  stack = await startStack();
  buyers = [];
  for (let i = 0; i < 200; i++) buyers.push(await makeBuyer(stack.db, `b${i}`));
}, 120_000);
afterAll(async () => stack?.close());

it('200 concurrent buyers for the last 50 units: exactly 50 orders, 150 OUT_OF_STOCK, stock 0', async () => {
  await stack.db.getRepository(SkuEntity).update({ id: 'sku_longjing1' }, { stock: 50 });

  const results = await Promise.all(
    buyers.map((b, i) =>
      api(stack.baseUrl, 'POST', '/api/orders', b.auth, {
        clientKey: `stampede-${i}-${b.id.slice(-8)}`,
        items: [{ skuId: 'sku_longjing1', quantity: 1 }],
        addressId: b.addressId,
      }),
    ),
  );

  const ok = results.filter((r) => r.status === 200);
  const out = results.filter((r) => r.status === 409 && r.body.code === 'OUT_OF_STOCK');
  expect(ok).toHaveLength(50);
  expect(out).toHaveLength(150);
  expect(out[0].body.fields).toEqual([{ path: 'body.items.0.quantity', message: 'not enough stock' }]);
  expect((await stack.db.getRepository(SkuEntity).findOneByOrFail({ id: 'sku_longjing1' })).stock).toBe(0);
  expect(await stack.db.getRepository(OrderEntity).countBy({ status: 'PENDING_PAYMENT' })).toBe(50);
}, 120_000);

it('ten retries of one checkout at once make one order and take stock once', async () => {
  await stack.db.getRepository(SkuEntity).update({ id: 'sku_biluochun1' }, { stock: 10 });
  const b = buyers[0];
  const body = {
    clientKey: 'retry-storm-0001',
    items: [{ skuId: 'sku_biluochun1', quantity: 2 }],
    addressId: b.addressId,
  };
  const results = await Promise.all(
    Array.from({ length: 10 }, () => api(stack.baseUrl, 'POST', '/api/orders', b.auth, body)),
  );
  expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
  expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
  expect((await stack.db.getRepository(SkuEntity).findOneByOrFail({ id: 'sku_biluochun1' })).stock).toBe(8);
}, 60_000);
