import type { AppModule, Kernel } from '../module';
import { catalogAdminRoutes } from './catalog-admin.routes';
import { CatalogAdminService } from './catalog-admin.service';
import { catalogRoutes } from './catalog.routes';
import { CatalogService } from './catalog.service';

/** Categories, products, SKUs and stock: what buyers browse and the merchant manages. */
export function catalogModule(k: Kernel) {
  const catalog = new CatalogService(k.db);
  const admin = new CatalogAdminService(k.db);
  return {
    name: 'catalog',
    services: { catalog, admin },
    routes(api) {
      catalogRoutes(api, catalog);
      catalogAdminRoutes(api, admin);
    },
  } satisfies AppModule;
}
