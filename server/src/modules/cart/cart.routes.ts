import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { CartService } from './cart.service';

/** The buyer's server-side cart. */
export function cartRoutes(router: ContractRouter, cart: CartService): void {
  router.handle(contract.getCart, async ({ principal }) => cart.get(principal.buyerId));
  router.handle(contract.addToCart, async ({ principal, body }) =>
    cart.add(principal.buyerId, body.skuId, body.quantity),
  );
  router.handle(contract.updateCartLine, async ({ principal, params, body }) =>
    cart.update(principal.buyerId, params.skuId, body),
  );
  router.handle(contract.removeCartLine, async ({ principal, params }) => cart.remove(principal.buyerId, params.skuId));
}
