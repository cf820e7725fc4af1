import { contract } from '@chatmall/shared';
import type { DashboardService } from '../dashboard/dashboard.service';
import type { AppModule, Kernel } from '../module';
import type { OrderService } from '../orders/order.service';
import type { RefundService } from '../payments/refund.service';

/**
 * The mini-program's merchant pages (pkg-merchant) for a staff member whose WeChat is bound
 * (docs/decisions/0026-staff-wechat-binding.md). Authorised by the contract router
 * (`access.boundStaff`: the bound, active member's role, as in the console); every action
 * is the owning module's own service call, audited as that staff member.
 */
export function merchantModule(
  _k: Kernel,
  deps: { orders: OrderService; refunds: RefundService; dashboard: DashboardService },
) {
  const { orders, refunds, dashboard } = deps;
  return {
    name: 'merchant',
    services: {},
    routes(api) {
      api.handle(contract.merchantToday, async () => dashboard.today());
      api.handle(contract.merchantShipQueue, async ({ query }) => orders.awaitingShipment(query));
      api.handle(contract.merchantShipOrder, async ({ ctx, principal, params, body }) =>
        orders.ship(ctx, principal, params.id, body.carrier, body.trackingNo),
      );
      api.handle(contract.merchantRefundRequests, async () => ({ items: await refunds.list('REQUESTED') }));
      api.handle(contract.merchantApproveRefund, async ({ ctx, principal, params, body }) =>
        refunds.approve(ctx, principal, params.id, body.restock),
      );
      api.handle(contract.merchantRejectRefund, async ({ ctx, principal, params, body }) =>
        refunds.reject(ctx, principal, params.id, body.reason),
      );
    },
  } satisfies AppModule;
}
