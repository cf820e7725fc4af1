import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { CatalogService } from './catalog.service';

export function catalogRoutes(router: ContractRouter, catalog: CatalogService): void {
  router.handle(contract.listCategories, async () => ({ items: await catalog.listCategories() }));
  router.handle(contract.listProducts, async ({ query }) => catalog.listProducts(query));
  router.handle(contract.getProduct, async ({ params }) => catalog.getProduct(params.id));
}
