/** What the merchant sees of the money: per order, the notification log, and a daily reconciliation. */
import { Between, In, type DataSource } from 'typeorm';
import { NotFoundError } from '../../kernel/errors';
import type { WechatPay } from '../../wechat/pay/wechat-pay';
import { WechatPayApiError } from '../../wechat/pay/errors';
import type { OrderService } from '../orders/order.service';
import { PayNotificationEntity } from './pay-notification.entity';
import { PaymentEntity } from './payment.entity';
import { RefundEntity } from './refund.entity';
import { refundDto } from './refund.service';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const logEntry = (n: PayNotificationEntity) => ({
  id: n.id,
  eventType: n.eventType,
  orderNo: n.outTradeNo,
  verified: n.verified,
  rejectReason: n.rejectReason,
  outcome: n.outcome,
  receivedAt: n.receivedAt.toISOString(),
});
/** WeChat states that mean the money arrived (a later refund does not undo the sale). */
const WECHAT_PAID = new Set(['SUCCESS', 'REFUND']);

export class PaymentReports {
  constructor(
    private readonly db: DataSource,
    private readonly orders: OrderService,
    private readonly wechatPay: WechatPay,
  ) {}

  async orderMoney(orderId: string) {
    const order = await this.orders.factsById(orderId);
    if (!order) throw new NotFoundError('Order');
    const p = await this.db.getRepository(PaymentEntity).findOneBy({ orderId });
    const refunds = await this.db.getRepository(RefundEntity).find({ where: { orderId }, order: { id: 'ASC' } });
    const notes = await this.db
      .getRepository(PayNotificationEntity)
      .find({ where: { outTradeNo: order.orderNo }, order: { receivedAt: 'ASC', id: 'ASC' } });
    return {
      orderId,
      orderNo: order.orderNo,
      payment: p
        ? {
            status: p.status,
            amount: p.amount,
            prepayId: p.prepayId,
            transactionId: p.transactionId,
            paidAt: iso(p.paidAt),
            flaggedReason: p.flaggedReason,
          }
        : null,
      refunds: refunds.map(refundDto),
      notifications: notes.map(logEntry),
    };
  }

  async notificationLog(outcome: string | undefined, limit: number) {
    const rows = await this.db
      .getRepository(PayNotificationEntity)
      .find({ where: outcome ? { outcome } : {}, order: { receivedAt: 'DESC', id: 'DESC' }, take: limit });
    return { items: rows.map(logEntry) };
  }

  /**
   * Every payment opened that day (China time) is compared with what WeChat Pay says of it,
   * and so is every refund requested that day that was sent to WeChat Pay. One query per
   * payment or refund: fine for a shop's daily volume; a trade-bill download would replace
   * it for very large shops.
   */
  async reconciliation(date: string) {
    const start = new Date(`${date}T00:00:00+08:00`);
    const end = new Date(start.getTime() + 86_400_000 - 1);
    const payments = await this.db
      .getRepository(PaymentEntity)
      .find({ where: { createdAt: Between(start, end) }, order: { id: 'ASC' } });
    const ours = { paidCount: 0, paidAmount: 0 };
    const wechat = { paidCount: 0, paidAmount: 0 };
    const mismatches: {
      kind: 'payment' | 'refund';
      orderId: string;
      orderNo: string;
      outRefundNo: string | null;
      ours: string;
      wechat: string;
      oursAmount: number;
      wechatAmount: number;
    }[] = [];
    for (const p of payments) {
      const oursPaid = p.status === 'PAID';
      if (oursPaid) {
        ours.paidCount++;
        ours.paidAmount += p.amount;
      }
      let state: string;
      let total = 0;
      try {
        const t = await this.wechatPay.client.queryByOutTradeNo(p.outTradeNo);
        state = t.trade_state;
        total = t.amount?.total ?? 0;
      } catch (err) {
        if (!(err instanceof WechatPayApiError && err.code === 'ORDER_NOT_EXIST')) throw err;
        state = 'NOT_EXIST';
      }
      const wechatPaid = WECHAT_PAID.has(state);
      if (wechatPaid) {
        wechat.paidCount++;
        wechat.paidAmount += total;
      }
      if (oursPaid !== wechatPaid || (wechatPaid && total !== p.amount))
        mismatches.push({
          kind: 'payment',
          orderId: p.orderId,
          orderNo: p.outTradeNo,
          outRefundNo: null,
          ours: p.status,
          wechat: state,
          oursAmount: p.amount,
          wechatAmount: total,
        });
    }

    // Refunds: only those handed to WeChat Pay (a request still waiting, rejected or withdrawn holds no money).
    const refundRows = await this.db.getRepository(RefundEntity).find({
      where: { createdAt: Between(start, end), status: In(['PROCESSING', 'ABNORMAL', 'SUCCESS', 'CLOSED']) },
      order: { id: 'ASC' },
    });
    const refunds = { ours: { count: 0, amount: 0 }, wechat: { count: 0, amount: 0 } };
    for (const r of refundRows) {
      const oursDone = r.status === 'SUCCESS';
      if (oursDone) {
        refunds.ours.count++;
        refunds.ours.amount += r.amount;
      }
      let state: string;
      let amount = 0;
      try {
        const answer = await this.wechatPay.client.queryRefund(r.outRefundNo);
        state = answer.status;
        amount = answer.amount.refund;
      } catch (err) {
        if (!(err instanceof WechatPayApiError && err.code === 'RESOURCE_NOT_EXISTS')) throw err;
        state = 'NOT_EXIST';
      }
      const wechatDone = state === 'SUCCESS';
      if (wechatDone) {
        refunds.wechat.count++;
        refunds.wechat.amount += amount;
      }
      if (oursDone !== wechatDone || (wechatDone && amount !== r.amount))
        mismatches.push({
          kind: 'refund',
          orderId: r.orderId,
          orderNo: r.orderNo,
          outRefundNo: r.outRefundNo,
          ours: r.status,
          wechat: state,
          oursAmount: r.amount,
          wechatAmount: amount,
        });
    }
    return { date, ours, wechat, refunds, mismatches };
  }
}
