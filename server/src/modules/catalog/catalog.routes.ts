import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { CatalogService } from './catalog.service';

/** Buyers' ratings of products that have any (the reviews module's aggregate, one read per page). */
export type ProductRatings = (
  productIds: readonly string[],
) => Promise<Map<string, { average: number; count: number }>>;

/** The storefront's catalog. (`/api/client-config` moved to the shop module: it answers the shop settings.) */
export function catalogRoutes(router: ContractRouter, catalog: CatalogService, ratings?: ProductRatings): void {
  router.handle(contract.listCategories, async () => ({ items: await catalog.listCategories() }));
  router.handle(contract.listProducts, async ({ query }) => {
    const page = await catalog.listProducts(query);
    const rated = ratings ? await ratings(page.items.map((p) => p.id)) : new Map();
    return { ...page, items: page.items.map((p) => ({ ...p, rating: rated.get(p.id) ?? null })) };
  });
  router.handle(contract.getProduct, async ({ params }) => {
    const product = await catalog.getProduct(params.id);
    const rated = ratings ? await ratings([product.id]) : new Map();
    return { ...product, rating: rated.get(product.id) ?? null };
  });
}
