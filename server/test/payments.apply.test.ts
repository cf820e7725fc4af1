/**
 * The notification transaction itself, on both databases the server runs on: MariaDB (tests,
 * production) and SQLite (`npm start`). Every outcome writes what it should (order, payment,
 * inbox, outbox) with values that read back as they were written, and nothing else.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultShippingRule } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/main/data-source';
import { createLogger } from '../src/kernel/logger';
import { OutboxEventEntity } from '../src/kernel/outbox.entity';
import { OrderEntity } from '../src/modules/orders/order.entity';
import { OrderService } from '../src/modules/orders/order.service';
import { PayNotificationEntity } from '../src/modules/payments/pay-notification.entity';
import { PaymentEntity } from '../src/modules/payments/payment.entity';
import { PaymentService } from '../src/modules/payments/payment.service';
import { RefundService } from '../src/modules/payments/refund.service';
import { BuyerService } from '../src/modules/auth/buyer.service';
import type { PayNotification } from '../src/wechat/pay/notification';
import type { Transaction } from '../src/wechat/pay/types';
import { WechatPay } from '../src/wechat/pay/wechat-pay';
import { freshDatabase, testConfig } from './support/harness';
import { fixtureSettings, paidTransaction } from './pay/support';

const databases: [string, () => Promise<DataSource>][] = [
  [
    'MariaDB',
    async () => {
      const config = testConfig();
      await freshDatabase(config);
      return createDataSource(config);
    },
  ],
  [
    'SQLite',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chatmall-sqlite-pay-'));
      return createDataSource({
        db: { url: `sqlite:${path.join(dir, 'db.sqlite')}`, poolSize: 1, connectTimeoutMs: 2000 },
      });
    },
  ],
];

describe.each(databases)('applying a payment notification on %s', (_name, open) => {
  let db: DataSource;
  let payments: PaymentService;
  let seq = 0;

  beforeAll(async () => {
    db = await open();
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    const orders = new OrderService(
      db,
      { orders: { paymentWindowMs: 15 * 60_000, autoCompleteMs: 86_400_000 } },
      async () => defaultShippingRule,
    );
    const wechatPay = new WechatPay(fixtureSettings());
    const log = createLogger('silent', 'test');
    payments = new PaymentService({
      db,
      orders,
      buyers: new BuyerService(db),
      refunds: new RefundService(db, orders, wechatPay, log),
      wechatPay,
      log,
      shopName: async () => '茶与点心',
    });
  });
  afterAll(async () => db?.destroy());

  /** A pending order with an open prepay, as checkout and prepay leave it. */
  async function pendingOrder(status: OrderEntity['status'] = 'PENDING_PAYMENT') {
    const n = ++seq;
    const orderNo = `CMT${Date.now()}${n}`.slice(0, 32);
    const id = `ord_apply${n}`;
    const createdAt = new Date(Date.now() - 60_000);
    await db.getRepository(OrderEntity).insert({
      id,
      orderNo,
      buyerId: 'byr_apply',
      clientKey: `ck${n}`,
      status,
      itemsTotal: 3900,
      adjustments: [],
      shippingFee: 0,
      payable: 3900,
      address: {} as never,
      note: '',
      payBy: new Date(Date.now() + 600_000),
      paidAt: null,
      closedAt: status === 'CLOSED' ? new Date() : null,
      createdAt,
      updatedAt: createdAt,
    });
    await db.getRepository(PaymentEntity).insert({
      id: `pay_apply${n}`,
      orderId: id,
      outTradeNo: orderNo,
      amount: 3900,
      prepayId: `wx_prepay_apply${n}`,
      prepayExpiresAt: new Date(Date.now() + 600_000),
      status: 'OPEN',
      transactionId: null,
      paidAt: null,
      flaggedReason: null,
    });
    return { id, orderNo, createdAt };
  }

  const notification = (t: Partial<Transaction> & { out_trade_no: string }, id = `EV-${++seq}`): PayNotification => ({
    kind: 'payment',
    id,
    eventType: 'TRANSACTION.SUCCESS',
    createTime: '2024-08-01T10:00:05+08:00',
    transaction: { ...paidTransaction(t.out_trade_no, 3900), ...t } as Transaction,
  });
  const apply = (n: PayNotification) => payments.applyNotification({}, n, Buffer.from(`{"id":"${n.id}"}`));
  const order = (orderNo: string) => db.getRepository(OrderEntity).findOneByOrFail({ orderNo });
  const payment = (orderNo: string) => db.getRepository(PaymentEntity).findOneByOrFail({ outTradeNo: orderNo });
  const inbox = (orderNo: string) =>
    db.getRepository(PayNotificationEntity).find({ where: { outTradeNo: orderNo }, order: { receivedAt: 'ASC' } });
  const events = (orderNo: string) => db.getRepository(OutboxEventEntity).findBy({ eventKey: orderNo });

  it('marks the order and its payment paid at WeChat’s success time, with one inbox row and one event', async () => {
    const o = await pendingOrder();
    const n = notification({ out_trade_no: o.orderNo, transaction_id: '4200000000000000000000000001' });
    expect(await payments.applyNotification({}, n, Buffer.from('{"raw":"bytes as received"}'))).toBe('APPLIED');

    const paidAt = new Date('2024-08-01T10:00:00+08:00');
    const row = await order(o.orderNo);
    expect(row).toMatchObject({ status: 'PAID', paidAt });
    expect(row.updatedAt.getTime()).toBeGreaterThan(o.createdAt.getTime());
    expect(await payment(o.orderNo)).toMatchObject({
      status: 'PAID',
      transactionId: '4200000000000000000000000001',
      paidAt,
      flaggedReason: null,
    });
    expect(await inbox(o.orderNo)).toEqual([
      expect.objectContaining({
        wechatId: n.id,
        eventType: 'TRANSACTION.SUCCESS',
        rawBody: '{"raw":"bytes as received"}',
        verified: true,
        rejectReason: null,
        outcome: 'APPLIED',
      }),
    ]);
    const [event] = await events(o.orderNo);
    expect(event).toMatchObject({ topic: 'order.paid', dispatchedAt: null });
    expect(event.payload).toEqual({ orderNo: o.orderNo, amount: 3900 });
  });

  it('a repeated notification is recorded as a duplicate and changes nothing', async () => {
    const o = await pendingOrder();
    expect(await apply(notification({ out_trade_no: o.orderNo }))).toBe('APPLIED');
    const before = await order(o.orderNo);
    expect(await apply(notification({ out_trade_no: o.orderNo }))).toBe('DUPLICATE');
    expect(await order(o.orderNo)).toEqual(before);
    expect((await inbox(o.orderNo)).map((r) => r.outcome)).toEqual(['APPLIED', 'DUPLICATE']);
    expect(await events(o.orderNo)).toHaveLength(1);
  });

  it('an amount that does not match leaves the order unpaid and flags the payment', async () => {
    const o = await pendingOrder();
    const n = notification({
      out_trade_no: o.orderNo,
      amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' },
    });
    expect(await apply(n)).toBe('AMOUNT_MISMATCH');
    expect(await order(o.orderNo)).toMatchObject({ status: 'PENDING_PAYMENT', paidAt: null });
    expect(await payment(o.orderNo)).toMatchObject({ status: 'OPEN', flaggedReason: 'AMOUNT_MISMATCH' });
    expect((await inbox(o.orderNo)).map((r) => r.outcome)).toEqual(['AMOUNT_MISMATCH']);
    expect(await events(o.orderNo)).toEqual([]);
  });

  it('a payment for a closed order is recorded for refund and the order stays closed', async () => {
    const o = await pendingOrder('CLOSED');
    expect(await apply(notification({ out_trade_no: o.orderNo }))).toBe('PAID_AFTER_CLOSE');
    expect(await order(o.orderNo)).toMatchObject({ status: 'CLOSED', paidAt: null });
    expect(await payment(o.orderNo)).toMatchObject({ status: 'PAID_AFTER_CLOSE' });
    expect((await events(o.orderNo)).map((e) => e.topic)).toEqual(['payment.paid-after-close']);
  });

  it('a payment for an order we do not know is recorded and touches nothing', async () => {
    expect(await apply(notification({ out_trade_no: 'CMNOSUCHORDER' }))).toBe('UNKNOWN_ORDER');
    expect((await inbox('CMNOSUCHORDER')).map((r) => r.outcome)).toEqual(['UNKNOWN_ORDER']);
    expect(await events('CMNOSUCHORDER')).toEqual([]);
  });
});
