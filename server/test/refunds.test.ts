/**
 * Refunds end to end against the sandbox's WeChat Pay: partial then full, an ABNORMAL
 * refund that later succeeds, rejection, and limits — with order state and stock right.
 */
import { SkuEntity } from '../src/modules/catalog/sku.entity';
import { OrderEntity } from '../src/modules/orders/order.entity';
import { OutboxEventEntity } from '../src/kernel/outbox.entity';
import { PayNotificationEntity } from '../src/modules/payments/pay-notification.entity';
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

/** Approves a refund of `amount` on the order (nothing restocked) and waits for WeChat to settle it. */
async function refundSettled(orderId: string, amount: number) {
  const req = await api(p.apiUrl, 'POST', `/api/orders/${orderId}/refunds`, p.buyer.auth, {
    amount,
    reason: '退款 Refund',
  });
  expect(req.status).toBe(200);
  await api(p.apiUrl, 'POST', `/api/admin/refunds/${req.body.id}/approve`, owner.auth, { restock: [] });
  return waitFor(
    () => refundOf(req.body.id),
    (r) => r.status === 'SUCCESS',
  );
}
const ship = (orderId: string) =>
  api(p.apiUrl, 'POST', `/api/admin/orders/${orderId}/ship`, clerk.auth, {
    carrier: '顺丰',
    trackingNo: 'SF100200300',
  });

it('a partially refunded order can still be shipped once, and the buyer can confirm it', async () => {
  const order = await paidOrder();
  await refundSettled(order.id, 8800);
  expect((await orderOf(order.id)).status).toBe('PARTIALLY_REFUNDED');

  const shipped = await ship(order.id);
  expect(shipped.status).toBe(200);
  expect(shipped.body).toMatchObject({ status: 'SHIPPED', shipment: { carrier: '顺丰', trackingNo: 'SF100200300' } });
  const again = await ship(order.id);
  expect(again.status).toBe(409);
  expect(again.body.code).toBe('ORDER_STATE');

  const received = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/confirm-receipt`, p.buyer.auth);
  expect(received.body.status).toBe('COMPLETED');
});

it('a partial refund after shipping, then the rest: SHIPPED → PARTIALLY_REFUNDED (not shippable again) → REFUNDED', async () => {
  const order = await paidOrder();
  expect((await ship(order.id)).status).toBe(200);
  await refundSettled(order.id, 5000);
  expect((await orderOf(order.id)).status).toBe('PARTIALLY_REFUNDED');
  expect((await ship(order.id)).status).toBe(409); // it already left the warehouse
  await refundSettled(order.id, 12600);
  expect((await orderOf(order.id)).status).toBe('REFUNDED');
});

it('a full refund of a shipped order makes it REFUNDED and announces refund.succeeded once', async () => {
  const order = await paidOrder();
  expect((await ship(order.id)).status).toBe(200);
  const r = await refundSettled(order.id, order.price.payable);
  expect((await orderOf(order.id)).status).toBe('REFUNDED');
  const events = await p.stack.db
    .getRepository(OutboxEventEntity)
    .findBy({ topic: 'refund.succeeded', eventKey: r.outRefundNo });
  expect(events.map((e) => e.payload)).toEqual([
    {
      orderId: order.id,
      orderNo: order.orderNo,
      outRefundNo: r.outRefundNo,
      amount: order.price.payable,
      refundedTotal: order.price.payable,
      orderStatus: 'REFUNDED',
    },
  ]);
});

describe('a refund notification whose transaction fails after the refund is settled', () => {
  // An injected failure on the real database: the inbox insert of a refund notification fails,
  // after the settlement's own writes in the same transaction have run.
  const failRefundInbox = () =>
    p.stack.db.query(
      `CREATE TRIGGER fail_refund_inbox BEFORE INSERT ON pay_notifications FOR EACH ROW
       BEGIN IF NEW.event_type LIKE 'REFUND.%' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'; END IF; END`,
    );
  afterEach(() => p.stack.db.query('DROP TRIGGER IF EXISTS fail_refund_inbox'));

  it('leaves neither the settlement nor the inbox row, and settles once when WeChat retries', async () => {
    const order = await paidOrder();
    const stockPaid = await stock();
    const deliveries = async () =>
      (
        (await p.sandboxCall('GET', '/sandbox/pay/notifications')).body as {
          id: string;
          eventType: string;
          attempts: { status: number | string }[];
        }[]
      ).filter((d) => d.eventType.startsWith('REFUND.'));
    const before = new Set((await deliveries()).map((d) => d.id));
    await failRefundInbox();

    const req = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/refunds`, p.buyer.auth, {
      amount: order.price.payable,
      reason: '不要了 Changed my mind',
    });
    await api(p.apiUrl, 'POST', `/api/admin/refunds/${req.body.id}/approve`, owner.auth, {
      restock: [{ skuId: 'sku_jinjunmei1', quantity: 2 }],
    });
    // WeChat delivered the notification and got 5xx at least twice.
    const failing = await waitFor(
      async () => (await deliveries()).find((d) => !before.has(d.id)),
      (d) => (d?.attempts.filter((a) => typeof a.status === 'number' && a.status >= 500).length ?? 0) >= 2,
    );
    expect(failing).toBeDefined();

    const refund = await refundOf(req.body.id);
    expect(refund.status).toBe('PROCESSING');
    expect((await orderOf(order.id)).status).toBe('PAID');
    expect(await stock()).toBe(stockPaid);
    expect(
      await p.stack.db
        .getRepository(PayNotificationEntity)
        .countBy({ outTradeNo: order.orderNo, eventType: 'REFUND.SUCCESS' }),
    ).toBe(0);
    expect(
      await p.stack.db
        .getRepository(OutboxEventEntity)
        .countBy({ topic: 'refund.succeeded', eventKey: refund.outRefundNo }),
    ).toBe(0);

    await p.stack.db.query('DROP TRIGGER fail_refund_inbox');
    await waitFor(
      () => refundOf(req.body.id),
      (r) => r.status === 'SUCCESS',
    );
    expect((await orderOf(order.id)).status).toBe('REFUNDED');
    expect(await stock()).toBe(stockPaid + 2);
    const inbox = await p.stack.db
      .getRepository(PayNotificationEntity)
      .findBy({ outTradeNo: order.orderNo, eventType: 'REFUND.SUCCESS' });
    expect(inbox.map((r) => r.outcome)).toEqual(['REFUND_SUCCESS']);
  });
});
