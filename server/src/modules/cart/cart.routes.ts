import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { AddressService } from '../addresses/address.service';
import type { FavouriteService } from '../favourites/favourite.service';
import type { CartService } from './cart.service';

/** The buyer's own things: cart, favourites, addresses. */
export function buyerRoutes(
  router: ContractRouter,
  cart: CartService,
  favourites: FavouriteService,
  addresses: AddressService,
): void {
  router.handle(contract.getCart, async ({ principal }) => cart.get(principal.buyerId));
  router.handle(contract.addToCart, async ({ principal, body }) =>
    cart.add(principal.buyerId, body.skuId, body.quantity),
  );
  router.handle(contract.updateCartLine, async ({ principal, params, body }) =>
    cart.update(principal.buyerId, params.skuId, body),
  );
  router.handle(contract.removeCartLine, async ({ principal, params }) => cart.remove(principal.buyerId, params.skuId));

  router.handle(contract.listFavourites, async ({ principal }) => favourites.list(principal.buyerId));
  router.handle(contract.addFavourite, async ({ principal, params }) =>
    favourites.add(principal.buyerId, params.productId),
  );
  router.handle(contract.removeFavourite, async ({ principal, params }) =>
    favourites.remove(principal.buyerId, params.productId),
  );

  router.handle(contract.listAddresses, async ({ principal }) => ({ items: await addresses.list(principal.buyerId) }));
  router.handle(contract.addAddress, async ({ principal, body }) => addresses.add(principal.buyerId, body as never));
  router.handle(contract.updateAddress, async ({ principal, params, body }) =>
    addresses.update(principal.buyerId, params.id, body),
  );
  router.handle(contract.removeAddress, async ({ principal, params }) => ({
    items: await addresses.remove(principal.buyerId, params.id),
  }));
}
