import { contract } from '@chatmall/shared';
import type { BuyerService } from '../auth/buyer.service';
import type { AppModule, Kernel } from '../module';
import type { OrderService } from '../orders/order.service';
import type { RefundService } from '../payments/refund.service';
import { DashboardService } from './dashboard.service';

/**
 * The merchant dashboard: daily aggregate rows kept by subscribers to the order, refund and
 * buyer events (effect `dashboard`, each fact counted once), a rebuild from the source tables
 * (`npm run dashboard:rebuild`), and the API that reads only those rows.
 */
export function dashboardModule(
  k: Kernel,
  deps: { orders: OrderService; refunds: RefundService; buyers: BuyerService },
) {
  const dashboard = new DashboardService(k.db, deps, k.log);
  return {
    name: 'dashboard',
    services: { dashboard },
    routes(api) {
      api.handle(contract.dashboardOverview, async ({ query }) => dashboard.overview(query.range));
      api.handle(contract.dashboardToday, async () => dashboard.today());
    },
    subscribe(on) {
      on.on('order.placed', 'dashboard', async ({ orderId }) => void (await dashboard.orderPlaced(orderId)));
      on.on('order.paid', 'dashboard', async ({ orderNo }) => void (await dashboard.orderPaid(orderNo)));
      on.on(
        'order.closed',
        'dashboard',
        async ({ orderId }) => void (await dashboard.orderEnded('order.closed', orderId)),
      );
      on.on(
        'order.cancelled',
        'dashboard',
        async ({ orderId }) => void (await dashboard.orderEnded('order.cancelled', orderId)),
      );
      on.on('order.shipped', 'dashboard', async ({ orderId }) => void (await dashboard.orderShipped(orderId)));
      on.on('order.completed', 'dashboard', async ({ orderId }) => void (await dashboard.orderCompleted(orderId)));
      on.on('refund.succeeded', 'dashboard', async (e) => void (await dashboard.refundSucceeded(e)));
      on.on('buyer.registered', 'dashboard', async ({ buyerId }) => void (await dashboard.buyerRegistered(buyerId)));
    },
  } satisfies AppModule;
}
