/**
 * What payments does after events, as subscribers (each effect runs once per event): the
 * buyer's paid-order message (a subscribe message, only with their consent), a notice to
 * the merchant, the refund of a payment that arrived for a closed order, and the notice
 * that money went back. Points, coupons and dashboards subscribe to the same events in
 * their own modules.
 */
import type { Logger } from '../../kernel/logger';
import type { MiniProgramApi } from '../../wechat/miniprogram/miniprogram';
import type { BuyerService } from '../auth/buyer.service';
import type { Subscribers } from '../events';
import type { OrderService } from '../orders/order.service';
import type { PaymentService } from './payment.service';

export const PAID_ORDER_TEMPLATE_ID = 'tmpl_order_paid';

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

export function subscribePaymentEffects(
  on: Subscribers,
  deps: {
    log: Logger;
    miniProgram: MiniProgramApi;
    payments: PaymentService;
    orders: OrderService;
    buyers: BuyerService;
    /** The mini-program page a message opens for an order. */
    orderPage: (orderId: string) => string;
  },
): void {
  on.on('order.paid', 'buyer-message', async ({ orderNo, amount }) => {
    const order = await deps.orders.factsByOrderNo(orderNo);
    if (!order) throw new Error(`paid order ${orderNo} not found`);
    const openid = await deps.buyers.openidOf(order.buyerId);
    if (!openid) return;
    const sent = await deps.miniProgram.sendSubscribeMessage({
      touser: openid,
      templateId: PAID_ORDER_TEMPLATE_ID,
      page: deps.orderPage(order.id),
      data: {
        character_string1: orderNo,
        amount2: yuan(amount),
        thing3: '支付成功，我们会尽快发货',
      },
    });
    if (sent.ok) return;
    // 43101: the buyer did not agree to this message (their choice); 40003: WeChat does not
    // know the openid. Neither gets better by retrying, so the effect ends here.
    if (sent.error.kind === 'NOT_SUBSCRIBED') return;
    if (sent.error.kind === 'INVALID_OPENID') {
      deps.log.warn({ orderNo }, 'paid-order message not sent: unknown openid');
      return;
    }
    throw new Error(`paid-order message failed: ${sent.error.kind}`);
  });
  on.on('order.paid', 'merchant-notice', async ({ orderNo, amount }) => {
    deps.log.info({ notice: 'order-paid', orderNo, amount }, 'new paid order to ship');
  });
  on.on('payment.paid-after-close', 'refund', async ({ orderNo }) => {
    await deps.payments.refundPaidAfterClose(orderNo);
  });
  on.on('refund.succeeded', 'merchant-notice', async ({ orderNo, outRefundNo, amount, orderStatus }) => {
    deps.log.info(
      { notice: 'refund-succeeded', orderNo, outRefundNo, amount, orderStatus },
      'money went back to a buyer',
    );
  });
}
