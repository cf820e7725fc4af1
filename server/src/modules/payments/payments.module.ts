import type { BuyerService } from '../auth/buyer.service';
import type { BuyerMediaService } from '../media/buyer-media.service';
import type { AppModule, Kernel } from '../module';
import type { OrderService } from '../orders/order.service';
import { payNotifyRoutes, type PayNotificationHandler } from './pay-notify.routes';
import { subscribePaymentEffects } from './payment.effects';
import { PaymentReports } from './payment-reports';
import { paymentJobs, RECONCILE_EVERY_MS } from './payment.jobs';
import { PaymentService } from './payment.service';
import { paymentReportRoutes, paymentRoutes, refundRoutes } from './payments.routes';
import { RefundService } from './refund.service';

/**
 * WeChat Pay: prepay, the notify inbox (payments and refunds, exactly once), reconciliation,
 * refunds and the merchant's money reports. Orders change only through the orders module.
 */
export function paymentsModule(
  k: Kernel,
  deps: {
    orders: OrderService;
    buyers: BuyerService;
    shopName: () => Promise<string>;
    orderPage: (orderId: string) => string;
    /** Checks a buyer's after-sales photos are their own uploads. */
    buyerMedia?: BuyerMediaService;
  },
  opts: { notifications?: PayNotificationHandler } = {},
) {
  const wechatPay = k.wechat.pay;
  const refunds = new RefundService(k.db, deps.orders, wechatPay, k.log, deps.buyerMedia);
  const payments = new PaymentService({
    db: k.db,
    orders: deps.orders,
    buyers: deps.buyers,
    refunds,
    wechatPay,
    log: k.log,
    shopName: deps.shopName,
  });
  const reports = new PaymentReports(k.db, deps.orders, wechatPay);
  return {
    name: 'payments',
    services: { payments, refunds, reports },
    systemRoutes(router) {
      payNotifyRoutes(router, {
        wechatPay,
        // Committed means answered: the side effects are outbox events the worker's relay sends on.
        handler: opts.notifications ?? {
          handle: async (n, raw) => void (await payments.applyNotification({}, n, raw)),
          refused: (raw, reason) => payments.recordRefused(raw, reason),
        },
      });
    },
    routes(api) {
      paymentRoutes(api, payments);
      refundRoutes(api, refunds);
      paymentReportRoutes(api, reports);
    },
    jobs: [
      {
        queue: 'payments',
        concurrency: 1,
        processor: paymentJobs({ payments, refunds, log: k.log }),
        schedules: [{ id: 'reconcile', everyMs: RECONCILE_EVERY_MS }],
        // The relay used to be a job every 10 s; it is the worker's loop now.
        retiredSchedules: ['relay-outbox'],
      },
    ],
    subscribe(on) {
      subscribePaymentEffects(on, {
        log: k.log,
        miniProgram: k.wechat.miniProgram,
        payments,
        orders: deps.orders,
        buyers: deps.buyers,
        orderPage: deps.orderPage,
      });
    },
  } satisfies AppModule;
}
