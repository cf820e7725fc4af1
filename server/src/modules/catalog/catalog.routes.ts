import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { CatalogService } from './catalog.service';

/** The storefront's catalog. (`/api/client-config` moved to the shop module: it answers the shop settings.) */
export function catalogRoutes(router: ContractRouter, catalog: CatalogService): void {
  router.handle(contract.listCategories, async () => ({ items: await catalog.listCategories() }));
  router.handle(contract.listProducts, async ({ query }) => catalog.listProducts(query));
  router.handle(contract.getProduct, async ({ params }) => catalog.getProduct(params.id));
}
