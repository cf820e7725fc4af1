/**
 * Orders meet WeChat Pay: prepay (idempotent per order), applying verified notifications
 * exactly once, and reconciliation that finds what notifications missed. The order is
 * marked PAID only by a conditional update in the same transaction as the inbox entry and
 * the `order.paid` outbox event; a payment that does not match the order never marks it.
 */
import { newId } from '@chatmall/shared';
import { IsNull, LessThanOrEqual, Not, type DataSource, type EntityManager } from 'typeorm';
import type { Logger } from '../../kernel/logger';
import { execute, updateWhere } from '../../kernel/sql';
import { withTx, type Ctx } from '../../kernel/tx';
import { NotFoundError, OrderStateError } from '../../kernel/errors';
import type { WechatPay } from '../../wechat/pay/wechat-pay';
import { WechatPayApiError } from '../../wechat/pay/errors';
import type { PayNotification } from '../../wechat/pay/notification';
import type { RequestPaymentParams, Transaction } from '../../wechat/pay/types';
import type { BuyerService } from '../auth/buyer.service';
import { publish } from '../events';
import type { OrderService } from '../orders/order.service';
import { PaymentEntity } from './payment.entity';
import type { RefundService } from './refund.service';

export type NotificationOutcome =
  | 'APPLIED'
  | 'DUPLICATE'
  | 'AMOUNT_MISMATCH'
  | 'CURRENCY_MISMATCH'
  | 'PAID_AFTER_CLOSE'
  | 'UNKNOWN_ORDER'
  | 'NOT_SUCCESS'
  | 'REFUND_EVENT'
  | 'UNKNOWN_REFUND';

export interface PaymentDeps {
  db: DataSource;
  orders: OrderService;
  buyers: BuyerService;
  refunds: RefundService;
  wechatPay: WechatPay;
  log: Logger;
  /** The shop's name as buyers know it: WeChat Pay shows it in the payment's description. */
  shopName: () => Promise<string>;
}

export interface PayForOrder {
  orderId: string;
  prepayId: string;
  requestPayment: RequestPaymentParams;
  /** Where the H5 storefront sends the buyer to pay (the sandbox's cashier page). */
  cashierUrl: string;
}

export class PaymentService {
  private readonly db: DataSource;
  private readonly orders: OrderService;
  private readonly buyers: BuyerService;
  private readonly refunds: RefundService;
  private readonly wechatPay: WechatPay;
  private readonly log: Logger;
  private readonly shopName: () => Promise<string>;

  constructor(deps: PaymentDeps) {
    ({
      db: this.db,
      orders: this.orders,
      buyers: this.buyers,
      refunds: this.refunds,
      wechatPay: this.wechatPay,
      log: this.log,
      shopName: this.shopName,
    } = deps);
  }

  /** The WeChat Pay client (loaded on first use). */
  get wechatPayClient() {
    return this.wechatPay.client;
  }

  /**
   * Prepay for the buyer's order. Repeating it returns fresh `wx.requestPayment`
   * parameters for the same prepay id while it is valid (WeChat allows re-posting the
   * same parameters; the prepay expires with the order's payment window).
   */
  async payForOrder(buyerId: string, orderId: string): Promise<PayForOrder> {
    const order = await this.orders.buyersOrder(buyerId, orderId);
    if (order.status !== 'PENDING_PAYMENT')
      throw new OrderStateError(`An order that is ${order.status} cannot be paid.`);
    if (order.payBy <= new Date()) throw new OrderStateError('The payment window has closed.');

    const repo = this.db.getRepository(PaymentEntity);
    await repo
      .createQueryBuilder()
      .insert()
      .values({
        id: newId('payment'),
        orderId,
        outTradeNo: order.orderNo,
        amount: order.wechat,
        prepayId: null,
        prepayExpiresAt: null,
        status: 'OPEN',
        transactionId: null,
        paidAt: null,
        flaggedReason: null,
      })
      .orIgnore()
      .execute();
    const payment = await repo.findOneByOrFail({ orderId });
    const client = this.wechatPay.client;
    let prepayId = payment.prepayId;
    if (!prepayId || !payment.prepayExpiresAt || payment.prepayExpiresAt <= new Date()) {
      const openid = await this.buyers.openidOf(buyerId);
      if (!openid) throw new NotFoundError('Buyer');
      // The same out_trade_no with the same parameters: a retry after a lost answer gets the same prepay.
      const result = await client.prepayJsapi({
        // WeChat Pay allows 127 characters; the buyer sees it in their payment record.
        description: `${await this.shopName()} 订单 ${order.orderNo}`.slice(0, 127),
        out_trade_no: order.orderNo,
        total: order.wechat,
        payerOpenid: openid,
        time_expire: rfc3339(order.payBy),
      });
      prepayId = result.prepayId;
      await repo.update({ id: payment.id }, { prepayId, prepayExpiresAt: order.payBy });
    }
    return {
      orderId,
      prepayId,
      requestPayment: client.requestPayment(prepayId),
      cashierUrl: `${this.wechatPay.settings.apiBase.replace(/\/$/, '')}/sandbox/pay/cashier?prepay_id=${encodeURIComponent(prepayId)}`,
    };
  }

  /**
   * Records an accepted notification and applies it, all in one transaction (the caller's
   * when the context carries one); its side effects are outbox events the worker's relay
   * picks up after commit.
   */
  async applyNotification(ctx: Ctx, n: PayNotification, rawBody: Buffer): Promise<NotificationOutcome> {
    if (n.kind === 'refund') {
      // Refund notifications say CLOSE where the refund API says CLOSED.
      const status = n.refund.refund_status === 'CLOSE' ? 'CLOSED' : n.refund.refund_status;
      // The settlement (refund, order, stock, event) and the inbox row commit together or not at all.
      const settled = await withTx(this.db, ctx, async (ctx) => {
        const result = await this.refunds.settle(ctx, n.refund.out_refund_no, status, n.refund.success_time);
        await this.record(ctx.tx, {
          wechatId: n.id,
          eventType: n.eventType,
          outTradeNo: n.refund.out_trade_no,
          rawBody,
          outcome: result === 'SETTLED' ? `REFUND_${status}` : result,
        });
        return result;
      });
      if (settled === 'SETTLED' && status === 'ABNORMAL') this.refunds.alertAbnormal(n.refund.out_refund_no);
      if (settled === 'UNKNOWN_REFUND') {
        this.log.error(
          { alert: 'refund-unknown', outRefundNo: n.refund.out_refund_no, outTradeNo: n.refund.out_trade_no },
          'WeChat Pay reports a refund we never asked for; flagged for the merchant',
        );
        return 'UNKNOWN_REFUND';
      }
      return 'REFUND_EVENT';
    }
    return this.applyTransaction(ctx, n.transaction, { wechatId: n.id, eventType: n.eventType, rawBody });
  }

  /** Records a notification refused before it could be trusted (bad signature, stale, …). */
  async recordRefused(rawBody: Buffer, reason: string): Promise<void> {
    await this.record(this.db.manager, {
      wechatId: null,
      eventType: null,
      outTradeNo: null,
      rawBody,
      outcome: 'REFUSED',
      verified: false,
      rejectReason: reason,
    });
  }

  private async record(
    em: EntityManager,
    e: {
      wechatId: string | null;
      eventType: string | null;
      outTradeNo: string | null;
      rawBody: Buffer;
      outcome: string;
      verified?: boolean;
      rejectReason?: string;
    },
  ): Promise<void> {
    // received_at takes its default.
    await execute(
      em,
      'INSERT INTO pay_notifications (id, wechat_id, event_type, out_trade_no, raw_body, verified, reject_reason, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        newId('payNotification'),
        e.wechatId,
        e.eventType,
        e.outTradeNo,
        e.rawBody.toString('utf8').slice(0, 60_000),
        (e.verified ?? true) ? 1 : 0,
        e.rejectReason ?? null,
        e.outcome,
      ],
    );
  }

  /** The one path that turns "WeChat says paid" into an order state, from a notification or a query. */
  private async applyTransaction(
    ctx: Ctx,
    t: Transaction,
    source: { wechatId: string | null; eventType: string; rawBody: Buffer },
  ): Promise<NotificationOutcome> {
    const outcome = await withTx(this.db, ctx, async (ctx) => {
      const { tx } = ctx;
      const decide = async (): Promise<NotificationOutcome> => {
        if (t.trade_state !== 'SUCCESS') return 'NOT_SUCCESS';
        if ((t.amount?.currency ?? 'CNY') !== 'CNY') return 'CURRENCY_MISMATCH';
        const orderNo = t.out_trade_no;
        const amount = t.amount?.total ?? -1;
        const paidAt = t.success_time ? new Date(t.success_time) : new Date();
        // The orders module moves the order and announces `order.paid` in this transaction.
        const result = await this.orders.markPaid(ctx, orderNo, amount, paidAt);
        if (result.ok) {
          await this.updatePayment(tx, orderNo, { status: 'PAID', transactionId: t.transaction_id ?? null, paidAt });
          return 'APPLIED';
        }
        if (result.reason === 'NOT_FOUND') return 'UNKNOWN_ORDER';
        if (result.reason === 'AMOUNT_MISMATCH') {
          await this.updatePayment(tx, orderNo, { flaggedReason: 'AMOUNT_MISMATCH' });
          return 'AMOUNT_MISMATCH';
        }
        if (result.status === 'CLOSED' || result.status === 'CANCELLED') {
          await this.updatePayment(tx, orderNo, {
            status: 'PAID_AFTER_CLOSE',
            transactionId: t.transaction_id ?? null,
            paidAt,
          });
          await publish(tx, 'payment.paid-after-close', orderNo, {
            orderNo,
            transactionId: t.transaction_id ?? null,
            amount,
          });
          return 'PAID_AFTER_CLOSE';
        }
        return 'DUPLICATE';
      };
      const outcome = await decide();
      await this.record(tx, {
        wechatId: source.wechatId,
        eventType: source.eventType,
        outTradeNo: t.out_trade_no,
        rawBody: source.rawBody,
        outcome,
      });
      return outcome;
    });
    if (outcome === 'AMOUNT_MISMATCH' || outcome === 'UNKNOWN_ORDER' || outcome === 'CURRENCY_MISMATCH') {
      this.log.error(
        { alert: 'payment-mismatch', outTradeNo: t.out_trade_no, outcome },
        'a WeChat Pay payment does not match our order; flagged for the merchant',
      );
    }
    return outcome;
  }

  /** What WeChat said about an order's payment, on its row (one statement; on the notification's hot path). */
  private async updatePayment(
    tx: EntityManager,
    orderNo: string,
    change: Partial<Pick<PaymentEntity, 'status' | 'transactionId' | 'paidAt' | 'flaggedReason'>>,
  ): Promise<void> {
    await updateWhere(tx, PaymentEntity, change, { outTradeNo: orderNo });
  }

  /**
   * Reconciliation: asks WeChat about every open payment older than `olderThanMs` whose
   * order still awaits payment, applies a success a notification never delivered, closes
   * the prepay of orders whose window has passed, and leaves USERPAYING alone for now.
   */
  async reconcile(
    now = new Date(),
    olderThanMs = 5 * 60_000,
    batch = 100,
  ): Promise<{ applied: number; closed: number; checked: number }> {
    const open = await this.db.getRepository(PaymentEntity).find({
      where: {
        status: 'OPEN',
        createdAt: LessThanOrEqual(new Date(now.getTime() - olderThanMs)),
        prepayId: Not(IsNull()),
      },
      take: batch,
    });
    let applied = 0;
    let closed = 0;
    const client = this.wechatPay.client;
    const byId = await this.orders.factsByIds(open.map((p) => p.orderId));
    for (const p of open) {
      const order = byId.get(p.orderId);
      if (!order) continue;
      let t: Transaction;
      try {
        t = await client.queryByOutTradeNo(p.outTradeNo);
      } catch (err) {
        if (err instanceof WechatPayApiError && err.code === 'ORDER_NOT_EXIST')
          t = { out_trade_no: p.outTradeNo, trade_state: 'NOTPAY' } as Transaction;
        else {
          this.log.warn(
            { outTradeNo: p.outTradeNo, err: (err as Error).message },
            'reconcile query failed; will retry',
          );
          continue;
        }
      }
      if (t.trade_state === 'SUCCESS') {
        const outcome = await this.applyTransaction({}, t, {
          wechatId: null,
          eventType: 'RECONCILE.QUERY',
          rawBody: Buffer.from(JSON.stringify(t)),
        });
        if (outcome === 'APPLIED') applied++;
        continue;
      }
      const overdue = order.payBy <= now || order.status === 'CLOSED' || order.status === 'CANCELLED';
      if (t.trade_state === 'USERPAYING' || !overdue) continue;
      if (t.trade_state === 'NOTPAY' || t.trade_state === 'PAYERROR') {
        try {
          await client.close(p.outTradeNo);
        } catch (err) {
          // Paid between our query and the close: the next pass (or the notification) applies it.
          if (err instanceof WechatPayApiError && err.code === 'ORDERPAID') continue;
          if (!(err instanceof WechatPayApiError && err.code === 'ORDER_CLOSED')) throw err;
        }
      }
      await this.db.getRepository(PaymentEntity).update({ id: p.id, status: 'OPEN' }, { status: 'CLOSED' });
      if (await this.orders.closeIfUnpaid({}, order.id, now)) closed++;
    }
    return { applied, closed, checked: open.length };
  }

  /** Refunds a payment that arrived for an order we had already closed. Idempotent on out_refund_no. */
  async refundPaidAfterClose(orderNo: string): Promise<void> {
    const p = await this.db.getRepository(PaymentEntity).findOneByOrFail({ outTradeNo: orderNo });
    await this.wechatPay.client.refund({
      out_refund_no: `RC${orderNo}`.slice(0, 64),
      out_trade_no: orderNo,
      reason: '订单已关闭，自动退款 Order was closed before payment arrived',
      refund: p.amount,
      total: p.amount,
    });
    this.log.info({ orderNo }, 'payment for a closed order refunded');
  }
}

function rfc3339(d: Date): string {
  // WeChat wants an offset; UTC with +00:00 is valid RFC 3339.
  return d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
