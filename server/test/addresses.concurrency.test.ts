/**
 * Ordinary concurrency never answers 5xx: buyers writing their own addresses at the same
 * moment as each other, and while others place orders, on MariaDB. Every request's effect
 * is there exactly once.
 */
import { newId } from '@chatmall/shared';
import { AddressEntity } from '../src/modules/addresses/address.entity';
import { BuyerEntity } from '../src/modules/auth/buyer.entity';
import { SessionService } from '../src/modules/auth/session.service';
import { OrderEntity } from '../src/modules/orders/order.entity';
import { startStack, type TestStack } from './support/harness';
import { api, makeBuyer } from './support/people';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => stack?.close());

/** A buyer who has just signed in for the first time: no address yet. */
async function newBuyer(i: number) {
  const id = newId('buyer');
  await stack.db
    .getRepository(BuyerEntity)
    .insert({ id, openid: `o_new_${i}_${id.slice(-8)}`, unionid: null, nickname: null, lastLoginAt: new Date() });
  const { accessToken } = await new SessionService(stack.db).issue('buyer', id);
  return { id, auth: { authorization: `Bearer ${accessToken}` } };
}

const address = (i: number) => ({
  recipient: `买家${i}`,
  phone: `139${String(i).padStart(8, '0')}`,
  province: '广东省',
  city: '深圳市',
  district: '南山区',
  detail: `科技园 ${i} 号`,
});

it('fifty new buyers adding their first address at once all succeed, each with one default address', async () => {
  const buyers = await Promise.all(Array.from({ length: 50 }, (_, i) => newBuyer(i)));
  const answers = await Promise.all(
    buyers.map((b, i) => api(stack.baseUrl, 'POST', '/api/addresses', b.auth, address(i))),
  );
  expect(answers.map((a) => a.status)).toEqual(buyers.map(() => 200));
  for (const [i, b] of buyers.entries()) {
    const rows = await stack.db.getRepository(AddressEntity).findBy({ buyerId: b.id });
    expect(rows.map((r) => [r.detail, r.isDefault])).toEqual([[`科技园 ${i} 号`, true]]);
  }
}, 60_000);

it('fifty buyers placing orders while fifty others add and edit addresses: no 5xx, each effect once', async () => {
  const shoppers = await Promise.all(Array.from({ length: 50 }, (_, i) => makeBuyer(stack.db, `shopper${i}`)));
  const editors = await Promise.all(Array.from({ length: 50 }, (_, i) => makeBuyer(stack.db, `editor${i}`)));
  const results = await Promise.all([
    ...shoppers.map((b, i) =>
      api(stack.baseUrl, 'POST', '/api/orders', b.auth, {
        clientKey: `mixed-load-${i}-${Date.now()}`,
        items: [{ skuId: 'sku_walnutkernels1', quantity: 1 }],
        addressId: b.addressId,
      }),
    ),
    ...editors.map((b, i) =>
      i % 2
        ? api(stack.baseUrl, 'POST', '/api/addresses', b.auth, { ...address(100 + i), isDefault: true })
        : api(stack.baseUrl, 'PATCH', `/api/addresses/${b.addressId}`, b.auth, { recipient: `改名${i}` }),
    ),
  ]);
  expect(results.filter((r) => r.status >= 500)).toEqual([]);
  expect(results.map((r) => r.status)).toEqual(results.map(() => 200));

  for (const b of shoppers) expect(await stack.db.getRepository(OrderEntity).countBy({ buyerId: b.id })).toBe(1);
  for (const [i, b] of editors.entries()) {
    const rows = await stack.db
      .getRepository(AddressEntity)
      .find({ where: { buyerId: b.id }, order: { createdAt: 'ASC' } });
    if (i % 2) {
      // The new address became the one default; the old one was demoted.
      expect(rows.map((r) => r.isDefault).sort()).toEqual([false, true]);
      expect(rows.find((r) => r.isDefault)?.detail).toBe(`科技园 ${100 + i} 号`);
    } else {
      expect(rows.map((r) => [r.recipient, r.isDefault, r.district])).toEqual([[`改名${i}`, true, '西湖区']]);
    }
  }
}, 90_000);
