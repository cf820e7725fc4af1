import type { ShippingRule } from '@chatmall/shared';
import type { CartService } from '../cart/cart.service';
import type { AppModule, Kernel } from '../module';
import { bullOrderScheduler, ORDER_SWEEP_EVERY_MS, orderJobs } from './order.jobs';
import { OrderService, type CouponLocks, type MemberCheckout, type OrderScheduler } from './order.service';
import { OrderExport, orderExportRoutes } from './order-export';
import { orderRoutes } from './orders.routes';

/**
 * Orders and their lines: the only writer of both. Placing, paying (for payments),
 * refunding (for payments' settlements), shipping, completing, closing unpaid orders.
 */
export function ordersModule(
  k: Kernel,
  deps: {
    cart: CartService;
    shippingRule: () => Promise<ShippingRule>;
    /** The coupons module's checkout side: coupons to price with, and the lock at placement. */
    couponLocks?: CouponLocks;
    /** The membership module's checkout side: level, points and balance, taken at placement. */
    memberCheckout?: MemberCheckout;
  },
  opts: { scheduler?: OrderScheduler } = {},
) {
  const orders = new OrderService(k.db, k.config, deps.shippingRule, deps.couponLocks, deps.memberCheckout);
  // Opened on first use: only the worker's events consumer schedules closes.
  const scheduler = opts.scheduler ?? {
    scheduleClose: (id, at) => bullOrderScheduler(k.queue('orders')).scheduleClose(id, at),
  };
  return {
    name: 'orders',
    services: { orders },
    routes: (api) => {
      // Before orderRoutes: `/api/admin/orders/:id` would otherwise take `export.csv` as an id.
      orderExportRoutes(api, k.db, new OrderExport(k.db));
      orderRoutes(api, orders, deps.cart);
    },
    jobs: [
      {
        queue: 'orders',
        concurrency: 8,
        processor: orderJobs(orders, k.log),
        schedules: [{ id: 'sweep', everyMs: ORDER_SWEEP_EVERY_MS }],
      },
    ],
    subscribe(on) {
      // A lost or late close is caught by the periodic sweep, never the other way round.
      on.on('order.placed', 'schedule-close', async ({ orderId, payBy }) => {
        await scheduler.scheduleClose(orderId, new Date(payBy));
      });
      on.on('order.closed', 'merchant-notice', async ({ orderNo, reason }) => {
        k.log.info({ notice: 'order-closed', orderNo, reason }, 'an unpaid order closed; its stock is back');
      });
      on.on('order.cancelled', 'merchant-notice', async ({ orderNo }) => {
        k.log.info({ notice: 'order-cancelled', orderNo }, 'a buyer cancelled an unpaid order; its stock is back');
      });
      on.on('order.completed', 'merchant-notice', async ({ orderNo, auto }) => {
        k.log.info({ notice: 'order-completed', orderNo, auto }, 'an order completed');
      });
    },
  } satisfies AppModule;
}
