import type { AppModule, Kernel } from '../module';
import { catalogAdminRoutes } from './catalog-admin.routes';
import { CatalogAdminService } from './catalog-admin.service';
import { catalogRoutes, type ProductRatings } from './catalog.routes';
import { CatalogService } from './catalog.service';

/** Categories, products, SKUs and stock: what buyers browse and the merchant manages. */
export function catalogModule(k: Kernel, deps: { ratings?: ProductRatings } = {}) {
  const catalog = new CatalogService(k.db);
  const admin = new CatalogAdminService(k.db);
  return {
    name: 'catalog',
    services: { catalog, admin },
    routes(api) {
      catalogRoutes(api, catalog, deps.ratings);
      catalogAdminRoutes(api, admin);
    },
  } satisfies AppModule;
}
