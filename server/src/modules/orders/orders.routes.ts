import { contract, couponChoiceOf } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { CartService } from '../cart/cart.service';
import type { OrderService } from './order.service';

export function orderRoutes(router: ContractRouter, orders: OrderService, cart: CartService): void {
  router.handle(contract.previewCheckout, async ({ principal, body }) =>
    orders.preview(principal.buyerId, body.items, couponChoiceOf(body), new Date(), {
      points: body.points,
      useBalance: body.useBalance,
    }),
  );
  router.handle(contract.createOrder, async ({ ctx, principal, body }) => {
    const order = await orders.place(ctx, principal.buyerId, { ...body, coupon: couponChoiceOf(body) });
    // What was ordered leaves the cart (best effort: the order stands either way).
    await cart
      .removeOrdered(
        principal.buyerId,
        order.lines.map((l) => l.skuId),
      )
      .catch(() => undefined);
    return order;
  });
  router.handle(contract.listOrders, async ({ principal, query }) =>
    orders.list({ buyerId: principal.buyerId, ...query }),
  );
  router.handle(contract.getOrder, async ({ principal, params }) =>
    orders.get({ id: params.id, buyerId: principal.buyerId }),
  );
  router.handle(contract.cancelOrder, async ({ ctx, principal, params }) =>
    orders.cancel(ctx, principal.buyerId, params.id),
  );
  router.handle(contract.confirmReceipt, async ({ ctx, principal, params }) =>
    orders.confirmReceipt(ctx, principal.buyerId, params.id),
  );

  router.handle(contract.adminListOrders, async ({ query }) => orders.list(query));
  router.handle(contract.adminGetOrder, async ({ params }) => orders.get({ id: params.id }));
  router.handle(contract.shipOrder, async ({ ctx, principal, params, body }) =>
    orders.ship(ctx, principal, params.id, body.carrier, body.trackingNo),
  );
}
