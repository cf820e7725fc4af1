/**
 * Paying for orders, exactly once, against the sandbox playing WeChat Pay: prepay, the
 * simulated payer, notifications (duplicated, concurrent, early), reconciliation of a lost
 * notification, and the automatic refund of a payment for an order we had closed.
 */
import { OrderEntity } from '../src/modules/orders/order.entity';
import { PayNotificationEntity } from '../src/modules/payments/pay-notification.entity';
import { PaymentEntity } from '../src/modules/payments/payment.entity';
import { OutboxEffectEntity } from '../src/kernel/outbox.entity';
import { api, makeStaff } from './support/people';
import { startPayStack, waitFor, type PayStack } from './support/pay-stack';

jest.setTimeout(30_000);
let p: PayStack;
beforeAll(async () => {
  p = await startPayStack();
}, 60_000);
afterAll(async () => p?.close());
beforeEach(async () => {
  await p.sandboxCall('POST', '/sandbox/pay/settings', {
    duplicateDeliveries: false,
    dropNextNotifications: 0,
    fault: 'none',
    faultCount: 0,
    signtestProbes: false,
  });
});

let n = 0;
async function placeOrder(skuId = 'sku_anjibaicha1', quantity = 1) {
  const res = await api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
    clientKey: `pay-test-${++n}-${Date.now()}`,
    items: [{ skuId, quantity }],
    addressId: p.buyer.addressId,
  });
  expect(res.status).toBe(200);
  return res.body as { id: string; orderNo: string; price: { payable: number } };
}
const orderRow = (id: string) => p.stack.db.getRepository(OrderEntity).findOneByOrFail({ id });
const inbox = (orderNo: string) =>
  p.stack.db
    .getRepository(PayNotificationEntity)
    .find({ where: { outTradeNo: orderNo }, order: { receivedAt: 'ASC' } });
const effectsOf = async (orderNo: string) => {
  const rows: { effect: string }[] = await p.stack.db.query(
    'SELECT f.effect FROM outbox_effects f JOIN outbox_events e ON e.id = f.event_id WHERE e.event_key = ?',
    [orderNo],
  );
  return rows.map((r) => r.effect).sort();
};

describe('paying an order', () => {
  it('prepays once per order: paying again returns fresh parameters for the same prepay id', async () => {
    const order = await placeOrder();
    const a = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/pay`, p.buyer.auth);
    expect(a.status).toBe(200);
    expect(a.body.requestPayment).toMatchObject({
      appId: 'wxc0ffee0000000001',
      signType: 'RSA',
      package: `prepay_id=${a.body.prepayId}`,
    });
    expect(a.body.cashierUrl).toContain(`/sandbox/pay/cashier?prepay_id=${a.body.prepayId}`);
    const b = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/pay`, p.buyer.auth);
    expect(b.body.prepayId).toBe(a.body.prepayId);
    expect(await p.stack.db.getRepository(PaymentEntity).countBy({ orderId: order.id })).toBe(1);
  });

  it('a simulated payment reaches the server verified and marks the order paid; its side effects run once', async () => {
    const order = await placeOrder();
    const pay = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/pay`, p.buyer.auth);
    // The buyer agreed to the paid-order message, so WeChat delivers it.
    await p.sandboxCall('POST', `/sandbox/mp/users/${p.buyer.openid}/subscribe-consent`, {
      templateId: 'tmpl_order_paid',
    });
    expect((await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`)).status).toBe(200);

    const paid = await waitFor(
      () => orderRow(order.id),
      (o) => o.status === 'PAID',
    );
    expect(paid.status).toBe('PAID');
    // Every subscriber of order.paid (the buyer's message, the merchant's notice, the dashboard,
    // this test's own hook, and whatever later modules add) ran, once.
    const subscribed = [...p.app.subscribers.subscriptions()['order.paid']].sort();
    expect(subscribed).toEqual(expect.arrayContaining(['buyer-message', 'hooks', 'merchant-notice']));
    expect(
      await waitFor(
        () => effectsOf(order.orderNo),
        (e) => e.length === subscribed.length,
      ),
    ).toEqual(subscribed);
    // The buyer got one paid-order message naming their order and what they paid.
    const inboxOfBuyer = await p.sandboxCall('GET', `/sandbox/oa/users/${p.buyer.openid}/inbox`);
    const messages = (inboxOfBuyer.body.messages as { via: string; content: string }[]).filter(
      (m) => m.via === 'subscribe-message' && m.content.includes(order.orderNo),
    );
    expect(messages).toHaveLength(1);
    expect(messages[0].content).toContain(`¥${(order.price.payable / 100).toFixed(2)}`);
    expect(p.paidHookRuns.filter((e) => e.eventKey === order.orderNo)).toHaveLength(1);
    const payment = await p.stack.db.getRepository(PaymentEntity).findOneByOrFail({ orderId: order.id });
    expect(payment).toMatchObject({ status: 'PAID', amount: order.price.payable });
    expect(payment.transactionId).toBeTruthy();
    expect((await inbox(order.orderNo)).map((r) => r.outcome)).toEqual(['APPLIED']);
  });

  it('the same notification ten times at once, plus the sandbox’s own duplicates: one transition, effects once', async () => {
    await p.sandboxCall('POST', '/sandbox/pay/settings', { duplicateDeliveries: true });
    const order = await placeOrder();
    const pay = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/pay`, p.buyer.auth);
    await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`);
    await waitFor(
      () => orderRow(order.id),
      (o) => o.status === 'PAID',
    );

    const deliveries = (await p.sandboxCall('GET', '/sandbox/pay/notifications')).body as {
      id: string;
      eventType: string;
      notifyUrl: string;
    }[];
    const ours = deliveries.filter((d) => d.eventType === 'TRANSACTION.SUCCESS').pop()!;
    await Promise.all(
      Array.from({ length: 10 }, () => p.sandboxCall('POST', `/sandbox/pay/notifications/${ours.id}/redeliver`)),
    );
    const rows = await waitFor(
      () => inbox(order.orderNo),
      (r) => r.length >= 12,
    );
    expect(rows.filter((r) => r.outcome === 'APPLIED')).toHaveLength(1);
    expect(rows.filter((r) => r.outcome === 'DUPLICATE').length).toBeGreaterThanOrEqual(11);
    await waitFor(
      () => effectsOf(order.orderNo),
      (e) => e.length === 3,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(p.paidHookRuns.filter((e) => e.eventKey === order.orderNo)).toHaveLength(1);
    expect(await p.stack.db.getRepository(OutboxEffectEntity).countBy({ effect: 'hooks' })).toBe(p.paidHookRuns.length);
  });

  it('a notification that arrives before the prepay answer reaches the buyer still marks the order paid', async () => {
    const order = await placeOrder();
    const client = p.app.services.payments.wechatPayClient;
    const original = client.prepayJsapi.bind(client);
    let paidBeforeAnswer = false;
    // Pay at WeChat the moment the prepay exists, before our prepay call has returned.
    client.prepayJsapi = async (req) => {
      const result = await original(req);
      await p.sandboxCall('POST', `/sandbox/pay/prepay/${result.prepayId}/pay`);
      paidBeforeAnswer =
        (
          await waitFor(
            () => orderRow(order.id),
            (o) => o.status === 'PAID',
          )
        ).status === 'PAID';
      return result;
    };
    try {
      const pay = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/pay`, p.buyer.auth);
      expect(pay.status).toBe(200);
    } finally {
      client.prepayJsapi = original;
    }
    expect(paidBeforeAnswer).toBe(true);
    expect((await orderRow(order.id)).status).toBe('PAID');
    expect((await p.stack.db.getRepository(PaymentEntity).findOneByOrFail({ orderId: order.id })).status).toBe('PAID');
  });
});

describe('the shop as WeChat Pay shows it', () => {
  it('the next prepay’s description carries the name the owner set in the shop settings', async () => {
    const owner = await makeStaff(p.stack.db, 'owner');
    const cashier = async (url: string) => (await fetch(url)).text();
    const before = await placeOrder();
    const first = await api(p.apiUrl, 'POST', `/api/orders/${before.id}/pay`, p.buyer.auth);
    expect(await cashier(first.body.cashierUrl)).toContain(`茶与点心 订单 ${before.orderNo}`);

    const renamed = await api(p.apiUrl, 'PATCH', '/api/admin/shop-settings', owner.auth, { name: '山间茶舍' });
    expect(renamed.status).toBe(200);
    try {
      const order = await placeOrder();
      const pay = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/pay`, p.buyer.auth);
      expect(pay.status).toBe(200);
      expect(await cashier(pay.body.cashierUrl)).toContain(`山间茶舍 订单 ${order.orderNo}`);
    } finally {
      await api(p.apiUrl, 'PATCH', '/api/admin/shop-settings', owner.auth, { name: '茶与点心' });
    }
  });
});

describe('reconciliation', () => {
  it('finds a payment whose notification was dropped and marks the order paid', async () => {
    await p.sandboxCall('POST', '/sandbox/pay/settings', { dropNextNotifications: 1 });
    const order = await placeOrder();
    const pay = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/pay`, p.buyer.auth);
    await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`);
    await new Promise((r) => setTimeout(r, 300));
    expect((await orderRow(order.id)).status).toBe('PENDING_PAYMENT');

    const result = await p.app.services.payments.reconcile(new Date(Date.now() + 10 * 60_000));
    expect(result.applied).toBeGreaterThanOrEqual(1);
    expect((await orderRow(order.id)).status).toBe('PAID');
    expect((await inbox(order.orderNo)).map((r) => [r.eventType, r.outcome])).toContainEqual([
      'RECONCILE.QUERY',
      'APPLIED',
    ]);
  });

  it('closes an abandoned prepay at WeChat once the payment window has passed, and the order with it', async () => {
    const order = await placeOrder('sku_qimen1', 1);
    const pay = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/pay`, p.buyer.auth);
    await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/abandon`);
    const later = new Date(Date.now() + 60 * 60_000);
    await p.app.services.payments.reconcile(later);
    expect((await orderRow(order.id)).status).toBe('CLOSED');
    const atWechat = await p.sandboxCall('GET', `/sandbox/pay/orders/${order.orderNo}`);
    expect(atWechat.body.trade_state).toBe('CLOSED');
  });

  it('refunds a payment that arrives for an order we already closed, and records it', async () => {
    const order = await placeOrder('sku_dancong1', 1);
    const pay = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/pay`, p.buyer.auth);
    await p.app.services.orders.closeIfUnpaid({}, order.id, new Date(Date.now() + 60 * 60_000));
    expect((await orderRow(order.id)).status).toBe('CLOSED');

    await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`);
    const rows = await waitFor(
      () => inbox(order.orderNo),
      (r) => r.length > 0,
    );
    expect(rows[0].outcome).toBe('PAID_AFTER_CLOSE');
    expect((await orderRow(order.id)).status).toBe('CLOSED');
    const atWechat = await waitFor(
      () => p.sandboxCall('GET', `/sandbox/pay/orders/${order.orderNo}`),
      (r) => r.body.trade_state === 'REFUND',
    );
    expect(atWechat.body.trade_state).toBe('REFUND');
    expect((await p.stack.db.getRepository(PaymentEntity).findOneByOrFail({ orderId: order.id })).status).toBe(
      'PAID_AFTER_CLOSE',
    );
  });
});

describe('the merchant’s view of the money', () => {
  it('shows an order’s payment and notifications, the notification log, and a daily reconciliation that finds a gap', async () => {
    const owner = await makeStaff(p.stack.db, 'owner');
    const order = await placeOrder('sku_mixednuts1', 1);
    const pay = await api(p.apiUrl, 'POST', `/api/orders/${order.id}/pay`, p.buyer.auth);
    await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`);
    await waitFor(
      () => orderRow(order.id),
      (o) => o.status === 'PAID',
    );

    const money = await api(p.apiUrl, 'GET', `/api/admin/orders/${order.id}/money`, owner.auth);
    expect(money.body.payment).toMatchObject({ status: 'PAID', amount: order.price.payable, flaggedReason: null });
    expect(
      money.body.notifications.map((x: { eventType: string; outcome: string }) => [x.eventType, x.outcome]),
    ).toEqual([['TRANSACTION.SUCCESS', 'APPLIED']]);

    const log = await api(p.apiUrl, 'GET', '/api/admin/pay-notifications?limit=200', owner.auth);
    expect(log.body.items.some((x: { orderNo: string }) => x.orderNo === order.orderNo)).toBe(true);

    // A payment WeChat has but our records do not yet (its notification was dropped).
    await p.sandboxCall('POST', '/sandbox/pay/settings', { dropNextNotifications: 1 });
    const gap = await placeOrder('sku_mixednuts1', 1);
    const gapPay = await api(p.apiUrl, 'POST', `/api/orders/${gap.id}/pay`, p.buyer.auth);
    await p.sandboxCall('POST', `/sandbox/pay/prepay/${gapPay.body.prepayId}/pay`);

    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const summary = await api(p.apiUrl, 'GET', `/api/admin/reconciliation?date=${today}`, owner.auth);
    expect(summary.status).toBe(200);
    // Each difference is listed: the dropped one, and the earlier payment for a closed order.
    expect(summary.body.mismatches).toContainEqual({
      kind: 'payment',
      orderId: gap.id,
      orderNo: gap.orderNo,
      outRefundNo: null,
      ours: 'OPEN',
      wechat: 'SUCCESS',
      oursAmount: gap.price.payable,
      wechatAmount: gap.price.payable,
    });
    expect(summary.body.mismatches.map((m: { orderNo: string }) => m.orderNo)).not.toContain(order.orderNo);
    expect(summary.body.wechat.paidCount - summary.body.ours.paidCount).toBe(
      summary.body.mismatches.filter((m: { kind: string }) => m.kind === 'payment').length,
    );
    expect((await api(p.apiUrl, 'GET', `/api/admin/reconciliation?date=yesterday`, owner.auth)).status).toBe(400);
  });
});
