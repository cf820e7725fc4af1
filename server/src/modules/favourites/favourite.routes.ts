import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { FavouriteService } from './favourite.service';

/** The buyer's favourites (idempotent add and remove). */
export function favouriteRoutes(router: ContractRouter, favourites: FavouriteService): void {
  router.handle(contract.listFavourites, async ({ principal }) => favourites.list(principal.buyerId));
  router.handle(contract.addFavourite, async ({ principal, params }) =>
    favourites.add(principal.buyerId, params.productId),
  );
  router.handle(contract.removeFavourite, async ({ principal, params }) =>
    favourites.remove(principal.buyerId, params.productId),
  );
}
