/**
 * Refunds end to end against the sandbox's WeChat Pay: partial then full, an ABNORMAL
 * refund that later succeeds, rejection, and limits — with order state and stock right.
 */
import { SkuEntity } from '../src/modules/catalog/sku.entity';
import { OrderEntity } from '../src/modules/orders/order.entity';
import { RefundEntity } from '../src/modules/payments/refund.entity';
import { api, makeStaff } from './support/people';
import { startPayStack, waitFor, type PayStack } from './support/pay-stack';

jest.setTimeout(30_000);
let p: PayStack;
let owner: { auth: { authorization: string } };
let clerk: { auth: { authorization: string } };
beforeAll(async () => {
  p = await startPayStack();
  owner = await makeStaff(p.stack.db, 'owner');
  clerk = await makeStaff(p.stack.db, 'clerk');
}, 60_000);
afterAll(async () => p?.close());
beforeEach(() => p.sandboxCall('POST', '/sandbox/pay/settings', { refundOutcome: 'SUCCESS' }));

let n = 0;
/** A paid order of 2 × 金骏眉 50g (¥88.00 each, free shipping: ¥176.00). */
async function paidOrder() {
  const placed = await api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
    clientKey: `refund-order-${++n}-${Date.now()}`,
    items: [{ skuId: 'sku_jinjunmei1', quantity: 2 }],
    addressId: p.buyer.addressId,
  });
  const pay = await api(p.apiUrl, 'POST', `/api/orders/${placed.body.id}/pay`, p.buyer.auth);
  await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`);
  await waitFor(
    () => orderOf(placed.body.id),
    (o) => o.status === 'PAID',
  );
  return placed.body as { id: string; orderNo: string; price: { payable: number } };
}
const orderOf = (id: string) => p.stack.db.getRepository(OrderEntity).findOneByOrFail({ id });
const stock = async () => (await p.stack.db.getRepository(SkuEntity).findOneByOrFail({ id: 'sku_jinjunmei1' })).stock;
const refundOf = (id: string) => p.stack.db.getRepository(RefundEntity).findOneByOrFail({ id });

it('a partial refund then the rest: PARTIALLY_REFUNDED, then REFUNDED, stock back as the owner chose', async () => {
  const order = await paidOrder();
  expect(order.price.payable).toBe(17600);
  const stockPaid = await stock();

  const first = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/refunds`, p.buyer.auth, {
    amount: 8800,
    reason: '一罐破损 One tin dented',
  });
  expect(first.status).toBe(200);
  expect(first.body.status).toBe('REQUESTED');
  expect(
    (await api(p.apiUrl, 'POST', `/api/admin/refunds/${first.body.id}/approve`, clerk.auth, { restock: [] })).status,
  ).toBe(403);
  const approved = await api(p.apiUrl, 'POST', `/api/admin/refunds/${first.body.id}/approve`, owner.auth, {
    restock: [{ skuId: 'sku_jinjunmei1', quantity: 1 }],
  });
  expect(approved.status).toBe(200);
  await waitFor(
    () => refundOf(first.body.id),
    (r) => r.status === 'SUCCESS',
  );
  expect((await orderOf(order.id)).status).toBe('PARTIALLY_REFUNDED');
  expect(await stock()).toBe(stockPaid + 1);

  const tooMuch = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/refunds`, p.buyer.auth, {
    amount: 8801,
    reason: '全部退 All of it',
  });
  expect(tooMuch.status).toBe(400);
  expect(tooMuch.body.fields).toEqual([{ path: 'body.amount', message: 'at most 8800 fen can still be refunded' }]);

  const rest = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/refunds`, p.buyer.auth, {
    amount: 8800,
    reason: '不想要了 Changed my mind',
  });
  await api(p.apiUrl, 'POST', `/api/admin/refunds/${rest.body.id}/approve`, owner.auth, {
    restock: [{ skuId: 'sku_jinjunmei1', quantity: 1 }],
  });
  await waitFor(
    () => refundOf(rest.body.id),
    (r) => r.status === 'SUCCESS',
  );
  expect((await orderOf(order.id)).status).toBe('REFUNDED');
  expect(await stock()).toBe(stockPaid + 2);
  const atWechat = await p.sandboxCall('GET', `/sandbox/pay/orders/${order.orderNo}`);
  expect(atWechat.body.trade_state).toBe('REFUND');
});

it('an ABNORMAL refund is shown to the merchant, not final, and settles when WeChat reports SUCCESS', async () => {
  await p.sandboxCall('POST', '/sandbox/pay/settings', { refundOutcome: 'ABNORMAL' });
  const order = await paidOrder();
  const stockPaid = await stock();
  const req = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/refunds`, p.buyer.auth, {
    amount: order.price.payable,
    reason: '未收到货 Never arrived',
  });
  await api(p.apiUrl, 'POST', `/api/admin/refunds/${req.body.id}/approve`, owner.auth, {
    restock: [{ skuId: 'sku_jinjunmei1', quantity: 2 }],
  });
  const abnormal = await waitFor(
    () => refundOf(req.body.id),
    (r) => r.status === 'ABNORMAL',
  );
  expect(abnormal.status).toBe('ABNORMAL');
  expect((await orderOf(order.id)).status).toBe('PAID'); // no money moved yet
  expect(await stock()).toBe(stockPaid);
  const listed = await api(p.apiUrl, 'GET', '/api/admin/refunds?status=ABNORMAL', owner.auth);
  expect(listed.body.items.map((r: { id: string }) => r.id)).toContain(req.body.id);

  // The merchant sorts it out with WeChat Pay; WeChat then reports success.
  expect((await p.sandboxCall('POST', `/sandbox/pay/refunds/${abnormal.outRefundNo}/success`)).status).toBe(200);
  await waitFor(
    () => refundOf(req.body.id),
    (r) => r.status === 'SUCCESS',
  );
  expect((await orderOf(order.id)).status).toBe('REFUNDED');
  expect(await stock()).toBe(stockPaid + 2);
});

it('a rejected refund moves no money; an unpaid order cannot be refunded', async () => {
  const order = await paidOrder();
  const req = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/refunds`, p.buyer.auth, {
    amount: 100,
    reason: '试试 Just trying',
  });
  const rejected = await api(p.apiUrl, 'POST', `/api/admin/refunds/${req.body.id}/reject`, owner.auth, {
    reason: '商品无质量问题 Nothing wrong with it',
  });
  expect(rejected.body).toMatchObject({ status: 'REJECTED', rejectReason: '商品无质量问题 Nothing wrong with it' });
  expect((await api(p.apiUrl, 'POST', `/api/admin/refunds/${req.body.id}/approve`, owner.auth, {})).status).toBe(409);
  expect((await orderOf(order.id)).status).toBe('PAID');

  const unpaid = await api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
    clientKey: `refund-unpaid-${Date.now()}`,
    items: [{ skuId: 'sku_jinjunmei1', quantity: 1 }],
    addressId: p.buyer.addressId,
  });
  const refused = await api(p.apiUrl, 'POST', `/api/orders/${unpaid.body.id}/refunds`, p.buyer.auth, {
    amount: 100,
    reason: 'x',
  });
  expect(refused.status).toBe(409);
  const negative = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/refunds`, p.buyer.auth, {
    amount: -5,
    reason: 'x',
  });
  expect(negative.status).toBe(400);
  expect(negative.body.fields[0].path).toBe('body.amount');
});
