/**
 * The money page's daily reconciliation with refunds, against the sandbox's WeChat Pay: a
 * settled refund counts on both sides; a refund WeChat settled whose notification we never
 * got is listed as a difference with its order, both statuses and both amounts.
 */
import { RefundEntity } from '../src/modules/payments/refund.entity';
import { OrderEntity } from '../src/modules/orders/order.entity';
import { api, makeStaff } from './support/people';
import { startPayStack, waitFor, type PayStack } from './support/pay-stack';

jest.setTimeout(30_000);
let p: PayStack;
let owner: { auth: { authorization: string } };
beforeAll(async () => {
  p = await startPayStack();
  owner = await makeStaff(p.stack.db, 'owner');
}, 60_000);
afterAll(async () => p?.close());

let n = 0;
async function paidOrder() {
  const placed = await api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
    clientKey: `money-${++n}-${Date.now()}`,
    items: [{ skuId: 'sku_jinjunmei1', quantity: 1 }],
    addressId: p.buyer.addressId,
  });
  const pay = await api(p.apiUrl, 'POST', `/api/orders/${placed.body.id}/pay`, p.buyer.auth);
  await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`);
  await waitFor(
    () => p.stack.db.getRepository(OrderEntity).findOneByOrFail({ id: placed.body.id }),
    (o) => o.status === 'PAID',
  );
  return placed.body as { id: string; orderNo: string; price: { payable: number } };
}
async function refund(orderId: string, amount: number) {
  const asked = await api(p.apiUrl, 'POST', `/api/orders/${orderId}/refunds`, p.buyer.auth, {
    amount,
    reason: '不想要了 Changed my mind',
  });
  expect(asked.status).toBe(200);
  const approved = await api(p.apiUrl, 'POST', `/api/admin/refunds/${asked.body.id}/approve`, owner.auth, {
    restock: [],
  });
  expect(approved.status).toBe(200);
  return asked.body as { id: string };
}
const refundRow = (id: string) => p.stack.db.getRepository(RefundEntity).findOneByOrFail({ id });
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

it('a settled refund counts on both sides; one whose notification was lost is a listed difference', async () => {
  await p.sandboxCall('POST', '/sandbox/pay/settings', { refundOutcome: 'SUCCESS' });
  const a = await paidOrder();
  const settled = await refund(a.id, 1000);
  await waitFor(
    () => refundRow(settled.id),
    (r) => r.status === 'SUCCESS',
  );

  // WeChat settles the second refund, but its notification never arrives.
  await p.sandboxCall('POST', '/sandbox/pay/settings', { refundOutcome: 'manual' });
  const b = await paidOrder();
  const lost = await refund(b.id, 2500);
  const row = await waitFor(
    () => refundRow(lost.id),
    (r) => r.status === 'PROCESSING',
  );
  expect(row.status).toBe('PROCESSING');
  await p.sandboxCall('POST', '/sandbox/pay/settings', { dropNextNotifications: 1 });
  expect((await p.sandboxCall('POST', `/sandbox/pay/refunds/${row.outRefundNo}/SUCCESS`)).status).toBe(200);

  const summary = await api(p.apiUrl, 'GET', `/api/admin/reconciliation?date=${today()}`, owner.auth);
  expect(summary.status).toBe(200);
  const { refunds, mismatches } = summary.body;
  expect(refunds.wechat.count - refunds.ours.count).toBe(1);
  expect(refunds.wechat.amount - refunds.ours.amount).toBe(2500);
  expect(mismatches).toContainEqual({
    kind: 'refund',
    orderId: b.id,
    orderNo: b.orderNo,
    outRefundNo: row.outRefundNo,
    ours: 'PROCESSING',
    wechat: 'SUCCESS',
    oursAmount: 2500,
    wechatAmount: 2500,
  });
  expect(mismatches.map((m: { orderId: string }) => m.orderId)).not.toContain(a.id);

  // Another day has none of it.
  const other = await api(p.apiUrl, 'GET', '/api/admin/reconciliation?date=2020-01-01', owner.auth);
  expect(other.body).toMatchObject({
    ours: { paidCount: 0, paidAmount: 0 },
    refunds: { ours: { count: 0, amount: 0 }, wechat: { count: 0, amount: 0 } },
    mismatches: [],
  });
  const clerk = await makeStaff(p.stack.db, 'clerk');
  expect((await api(p.apiUrl, 'GET', `/api/admin/reconciliation?date=${today()}`, clerk.auth)).status).toBe(403);
});
