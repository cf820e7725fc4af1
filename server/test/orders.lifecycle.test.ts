/**
 * An order's life: placed (stock reserved), cancelled or closed unpaid (stock returned,
 * exactly once), shipped with an audit entry, received, auto-completed. Closing runs on
 * a real BullMQ queue and worker; the periodic sweep catches a close job that was lost.
 */
import { AuditLogEntity } from '../src/modules/auth/audit-log.entity';
import { SkuEntity } from '../src/modules/catalog/sku.entity';
import { bullOrderScheduler, orderJobs } from '../src/modules/orders/order.jobs';
import { OrderEntity } from '../src/modules/orders/order.entity';
import { OrderService } from '../src/modules/orders/order.service';
import { createQueue, createWorker } from '../src/kernel/queues';
import { createRedis } from '../src/kernel/redis';
import { startStack, type TestStack } from './support/harness';
import { api, makeBuyer, makeStaff, type TestBuyer } from './support/people';

let stack: TestStack;
/** The shop's rule as seeded (¥10 under ¥99), read through the shop's own service. */
const shippingRule = async () => (await stack.app.services.settings.get()).shipping;
let buyer: TestBuyer;
const stockOf = async (skuId: string) => (await stack.db.getRepository(SkuEntity).findOneByOrFail({ id: skuId })).stock;

beforeAll(async () => {
  stack = await startStack();
  buyer = await makeBuyer(stack.db);
}, 60_000);
afterAll(async () => stack?.close());

function place(orders: OrderService, clientKey: string, skuId = 'sku_dianhong1', quantity = 2) {
  return orders.place({}, buyer.id, { clientKey, items: [{ skuId, quantity }], addressId: buyer.addressId });
}

describe('closing unpaid orders', () => {
  it('closes an unpaid order on time through the queue, and its stock returns', async () => {
    const connection = createRedis(stack.config.redis.url, 'queue');
    const queue = createQueue('orders', connection, stack.config.queues.prefix);
    const orders = new OrderService(
      stack.db,
      { orders: { paymentWindowMs: 1500, autoCompleteMs: 86_400_000 } },
      shippingRule,
    );
    const worker = createWorker('orders', orderJobs(orders, stack.log), connection, stack.config.queues.prefix, 1);
    try {
      const before = await stockOf('sku_dianhong1');
      const order = await place(orders, 'close-on-time-1');
      // What the `order.placed` subscriber does after commit.
      await bullOrderScheduler(queue).scheduleClose(order.id, new Date(order.payBy));
      expect(order.status).toBe('PENDING_PAYMENT');
      expect(await stockOf('sku_dianhong1')).toBe(before - 2);

      const closed = new Promise((resolve) =>
        worker.on('completed', (job, result) => job.name === 'close-unpaid' && resolve(result)),
      );
      expect(await closed).toEqual({ closed: true });
      const row = await stack.db.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
      expect(row.status).toBe('CLOSED');
      expect(row.closeReason).toBe('payment_timeout');
      expect(row.closedAt!.getTime()).toBeGreaterThanOrEqual(row.payBy.getTime() - 1000);
      expect(await stockOf('sku_dianhong1')).toBe(before);
    } finally {
      await worker.close();
      await queue.close();
      connection.disconnect();
    }
  }, 30_000);

  it('does not close an order before its payment deadline', async () => {
    const orders = new OrderService(stack.db, { orders: { paymentWindowMs: 60_000, autoCompleteMs: 1 } }, shippingRule);
    const order = await place(orders, 'not-yet-due-1');
    expect(await orders.closeIfUnpaid({}, order.id)).toBe(false);
    expect((await orders.get({ id: order.id })).status).toBe('PENDING_PAYMENT');
  });

  it('the sweep closes an overdue order whose close job was lost, and returns stock once', async () => {
    const orders = new OrderService(stack.db, { orders: { paymentWindowMs: 10, autoCompleteMs: 1 } }, shippingRule);
    const before = await stockOf('sku_dianhong1');
    const order = await place(orders, 'lost-job-1');
    const later = new Date(Date.now() + 2000);
    const [a, b] = await Promise.all([orders.closeOverdue(later), orders.closeOverdue(later)]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    expect((await orders.get({ id: order.id })).status).toBe('CLOSED');
    expect(await stockOf('sku_dianhong1')).toBe(before);
  });

  it('a closed order cannot be paid', async () => {
    const orders = new OrderService(stack.db, { orders: { paymentWindowMs: 10, autoCompleteMs: 1 } }, shippingRule);
    const order = await place(orders, 'closed-then-paid-1');
    await orders.closeIfUnpaid({}, order.id, new Date(Date.now() + 2000));
    const result = await orders.markPaid({}, order.orderNo, order.price.payable, new Date());
    expect(result).toEqual({ ok: false, reason: 'NOT_PAYABLE', status: 'CLOSED' });
    expect((await orders.get({ id: order.id })).status).toBe('CLOSED');
  });

  it('a payment for the wrong amount does not mark the order paid', async () => {
    const orders = new OrderService(stack.db, { orders: { paymentWindowMs: 60_000, autoCompleteMs: 1 } }, shippingRule);
    const order = await place(orders, 'wrong-amount-1');
    expect(await orders.markPaid({}, order.orderNo, order.price.payable - 1, new Date())).toMatchObject({
      ok: false,
      reason: 'AMOUNT_MISMATCH',
    });
    expect(await orders.markPaid({}, order.orderNo, order.price.payable, new Date())).toEqual({
      ok: true,
    });
    expect(await orders.markPaid({}, order.orderNo, order.price.payable, new Date())).toMatchObject({
      ok: false,
      reason: 'NOT_PAYABLE',
      status: 'PAID',
    });
  });
});

describe('through the API', () => {
  it('a buyer cancels an unpaid order and the stock returns; cancelling again is refused', async () => {
    const before = await stockOf('sku_jasmine1');
    const placed = await api(stack.baseUrl, 'POST', '/api/orders', buyer.auth, {
      clientKey: 'cancel-me-0001',
      items: [{ skuId: 'sku_jasmine1', quantity: 3 }],
      addressId: buyer.addressId,
    });
    expect(placed.status).toBe(200);
    expect(placed.body.price).toEqual({ itemsTotal: 13500, adjustments: [], shippingFee: 0, payable: 13500 });
    expect(await stockOf('sku_jasmine1')).toBe(before - 3);
    const cancelled = await api(stack.baseUrl, 'POST', `/api/orders/${placed.body.id}/cancel`, buyer.auth);
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(await stockOf('sku_jasmine1')).toBe(before);
    const again = await api(stack.baseUrl, 'POST', `/api/orders/${placed.body.id}/cancel`, buyer.auth);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ORDER_STATE');
    expect(await stockOf('sku_jasmine1')).toBe(before);
  });

  it('staff ship a paid order (audited), the buyer confirms receipt; unconfirmed ones auto-complete', async () => {
    const clerk = await makeStaff(stack.db, 'clerk');
    const orders = new OrderService(
      stack.db,
      { orders: { paymentWindowMs: 60_000, autoCompleteMs: 1000 } },
      shippingRule,
    );
    const a = await place(orders, 'ship-confirm-1', 'sku_qimen1', 1);
    const b = await place(orders, 'ship-auto-1', 'sku_qimen1', 1);
    for (const o of [a, b]) await orders.markPaid({}, o.orderNo, o.price.payable, new Date());

    const shipped = await api(stack.baseUrl, 'POST', `/api/admin/orders/${a.id}/ship`, clerk.auth, {
      carrier: '顺丰',
      trackingNo: 'SF1234567890',
    });
    expect(shipped.status).toBe(200);
    expect(shipped.body.shipment).toMatchObject({ carrier: '顺丰', trackingNo: 'SF1234567890' });
    const audit = await stack.db
      .getRepository(AuditLogEntity)
      .findOneByOrFail({ entityId: a.id, action: 'order.ship' });
    expect(audit).toMatchObject({
      actorId: clerk.id,
      actorRole: 'clerk',
      detail: { carrier: '顺丰', trackingNo: 'SF1234567890' },
    });
    const twice = await api(stack.baseUrl, 'POST', `/api/admin/orders/${a.id}/ship`, clerk.auth, {
      carrier: '顺丰',
      trackingNo: 'SF1234567890',
    });
    expect(twice.status).toBe(409);

    const received = await api(stack.baseUrl, 'POST', `/api/orders/${a.id}/confirm-receipt`, buyer.auth);
    expect(received.body.status).toBe('COMPLETED');

    await api(stack.baseUrl, 'POST', `/api/admin/orders/${b.id}/ship`, clerk.auth, {
      carrier: '中通',
      trackingNo: 'ZT9876543210',
    });
    expect(await orders.autoComplete(new Date(Date.now() + 5000))).toBeGreaterThanOrEqual(1);
    expect((await orders.get({ id: b.id })).status).toBe('COMPLETED');
  });

  it('lists the buyer’s orders newest first, a page at a time', async () => {
    const page1 = await api(stack.baseUrl, 'GET', '/api/orders?limit=2', buyer.auth);
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    const page2 = await api(stack.baseUrl, 'GET', `/api/orders?limit=2&cursor=${page1.body.nextCursor}`, buyer.auth);
    expect(page2.body.items[0].id < page1.body.items[1].id).toBe(true);
  });
});
