/**
 * What happens after an order is paid, as outbox effects (each runs once per payment):
 * the buyer's paid-order message (a subscribe message, only with their consent), a notice
 * to the merchant, and the extension points later issues fill (points, coupon use).
 */
import type { DataSource } from 'typeorm';
import type { Logger } from '../../kernel/logger';
import type { EffectRegistry, OutboxEvent } from '../../kernel/outbox';
import type { MiniProgramApi } from '../../wechat/miniprogram/miniprogram';
import { findBuyerOpenid } from '../auth/buyer.entity';
import { OrderEntity } from '../orders/order.entity';
import type { PaymentService } from './payment.service';

export interface OrderPaidHooks {
  /** Called once per paid order, after commit. Points, coupon use, … register here. */
  onOrderPaid: ((event: OutboxEvent) => Promise<void>)[];
}

export const PAID_ORDER_TEMPLATE_ID = 'tmpl_order_paid';

export function registerPaymentEffects(
  effects: EffectRegistry,
  deps: { db: DataSource; log: Logger; miniProgram: MiniProgramApi; payments: PaymentService; hooks: OrderPaidHooks },
): void {
  effects
    .on('order.paid', 'buyer-message', async (e) => {
      const order = await deps.db.getRepository(OrderEntity).findOneBy({ orderNo: String(e.payload.orderNo) });
      if (!order) throw new Error(`paid order ${String(e.payload.orderNo)} not found`);
      const openid = await findBuyerOpenid(deps.db.manager, order.buyerId);
      if (!openid) return;
      const sent = await deps.miniProgram.sendSubscribeMessage({
        touser: openid,
        templateId: PAID_ORDER_TEMPLATE_ID,
        page: `pkg-order/pages/order/index?id=${order.id}`,
        data: {
          character_string1: String(e.payload.orderNo),
          amount2: `¥${(Number(e.payload.amount) / 100).toFixed(2)}`,
          thing3: '支付成功，我们会尽快发货',
        },
      });
      if (sent.ok) return;
      // 43101: the buyer did not agree to this message (their choice); 40003: WeChat does not
      // know the openid. Neither gets better by retrying, so the effect ends here.
      if (sent.error.kind === 'NOT_SUBSCRIBED') return;
      if (sent.error.kind === 'INVALID_OPENID') {
        deps.log.warn({ orderNo: e.payload.orderNo }, 'paid-order message not sent: unknown openid');
        return;
      }
      throw new Error(`paid-order message failed: ${sent.error.kind}`);
    })
    .on('order.paid', 'merchant-notice', async (e) => {
      deps.log.info(
        { notice: 'order-paid', orderNo: e.payload.orderNo, amount: e.payload.amount },
        'new paid order to ship',
      );
    })
    .on('order.paid', 'hooks', async (e) => {
      for (const hook of deps.hooks.onOrderPaid) await hook(e);
    })
    .on('payment.paid-after-close', 'refund', async (e) => {
      await deps.payments.refundPaidAfterClose(String(e.payload.orderNo));
    });
}
