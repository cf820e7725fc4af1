/**
 * Notifications that must not move money: an amount that does not match the order, a
 * forged signature, a stale timestamp. The order stays unpaid and the inbox records each
 * delivery with the reason.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compose } from '../src/main/compose';
import { OrderEntity } from '../src/modules/orders/order.entity';
import { PayNotificationEntity } from '../src/modules/payments/pay-notification.entity';
import { PaymentEntity } from '../src/modules/payments/payment.entity';
import { WechatPay } from '../src/wechat/pay/wechat-pay';
import { buildNotification, fixture, fixtureSettings, paidTransaction } from './pay/support';
import { startStack, type TestStack } from './support/harness';
import { makeBuyer } from './support/people';

let stack: TestStack;
let server: http.Server;
let url: string;

beforeAll(async () => {
  stack = await startStack();
  const wechatPay = new WechatPay(fixtureSettings(), { certificateRefreshIntervalMs: 0 });
  wechatPay.client.keyring.addCertificate(fixture('platform-cert.pem'));
  const { app } = compose({ ...stack, wechatPay });
  server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/pay/notify`;
}, 60_000);
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await stack?.close();
});

let n = 0;
async function unpaidOrder() {
  const buyer = await makeBuyer(stack.db, `refused${++n}`);
  const res = await fetch(`${stack.baseUrl}/api/orders`, {
    method: 'POST',
    headers: { ...buyer.auth, 'content-type': 'application/json' },
    body: JSON.stringify({
      clientKey: `refused-${n}-${Date.now()}`,
      items: [{ skuId: 'sku_walnutkernels1', quantity: 1 }],
      addressId: buyer.addressId,
    }),
  });
  const order = (await res.json()) as { id: string; orderNo: string; price: { payable: number } };
  // As if the buyer had opened WeChat Pay for it.
  await stack.db.getRepository(PaymentEntity).insert({
    id: `pay_${n}${Date.now()}`,
    orderId: order.id,
    outTradeNo: order.orderNo,
    amount: order.price.payable,
    prepayId: `wx_prepay_${n}`,
    prepayExpiresAt: new Date(Date.now() + 600_000),
    status: 'OPEN',
    transactionId: null,
    paidAt: null,
    flaggedReason: null,
  });
  return order;
}

const deliver = (spec: Parameters<typeof buildNotification>[0]) => {
  const { headers, body } = buildNotification(spec);
  return fetch(url, { method: 'POST', headers, body });
};
const status = async (id: string) => (await stack.db.getRepository(OrderEntity).findOneByOrFail({ id })).status;

it('an amount that does not match the order leaves it unpaid, flags the payment, and is recorded', async () => {
  const order = await unpaidOrder();
  const res = await deliver({ payload: paidTransaction(order.orderNo, order.price.payable - 100) });
  expect(res.status).toBe(204); // received and recorded: retrying would not change the amount
  expect(await status(order.id)).toBe('PENDING_PAYMENT');
  const rows = await stack.db.getRepository(PayNotificationEntity).findBy({ outTradeNo: order.orderNo });
  expect(rows.map((r) => [r.verified, r.outcome])).toEqual([[true, 'AMOUNT_MISMATCH']]);
  expect((await stack.db.getRepository(PaymentEntity).findOneByOrFail({ orderId: order.id })).flaggedReason).toBe(
    'AMOUNT_MISMATCH',
  );
});

it.each([
  ['a forged signature', { signature: Buffer.alloc(256, 7).toString('base64') }, 'BAD_SIGNATURE'],
  ['a timestamp 301 s old', { timestamp: Math.floor(Date.now() / 1000) - 301 }, 'STALE_TIMESTAMP'],
  ['an unknown serial', { serial: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF' }, 'UNKNOWN_SERIAL'],
])('%s is refused with 401, the order stays unpaid, and the inbox records the reason', async (_what, spec, reason) => {
  const order = await unpaidOrder();
  const before = await stack.db.getRepository(PayNotificationEntity).count();
  const res = await deliver({ ...spec, payload: paidTransaction(order.orderNo, order.price.payable) });
  expect(res.status).toBe(401);
  expect(await status(order.id)).toBe('PENDING_PAYMENT');
  const rows = await stack.db
    .getRepository(PayNotificationEntity)
    .find({ order: { receivedAt: 'DESC', id: 'DESC' }, take: 1 });
  expect(await stack.db.getRepository(PayNotificationEntity).count()).toBe(before + 1);
  expect(rows[0]).toMatchObject({ verified: false, rejectReason: reason, outcome: 'REFUSED' });
  expect(rows[0].rawBody).toContain('TRANSACTION.SUCCESS');
});

it('a refund notification for a refund we never created is recorded as UNKNOWN_REFUND and changes nothing', async () => {
  const order = await unpaidOrder();
  const res = await deliver({
    eventType: 'REFUND.SUCCESS',
    aad: 'refund',
    payload: {
      mchid: '1900000109',
      out_trade_no: order.orderNo,
      transaction_id: '4200000000000000000000009999',
      out_refund_no: 'RFnever-created-by-us',
      refund_id: '50000000000000000000009999',
      refund_status: 'SUCCESS',
      success_time: '2024-08-01T10:05:00+08:00',
      amount: { total: order.price.payable, refund: 100, payer_total: order.price.payable, payer_refund: 100 },
    },
  });
  expect(res.status).toBe(204); // recorded; a retry would find nothing more
  expect(await status(order.id)).toBe('PENDING_PAYMENT');
  const rows = await stack.db.getRepository(PayNotificationEntity).findBy({ outTradeNo: order.orderNo });
  expect(rows.map((r) => [r.eventType, r.outcome])).toEqual([['REFUND.SUCCESS', 'UNKNOWN_REFUND']]);
});
