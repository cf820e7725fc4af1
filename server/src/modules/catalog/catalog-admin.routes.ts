import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { CatalogAdminService } from './catalog-admin.service';

/** The merchant console's catalog routes; who may call each is declared in the contract. */
export function catalogAdminRoutes(router: ContractRouter, admin: CatalogAdminService): void {
  router.handle(contract.adminListProducts, async ({ query }) => admin.listProducts(query));
  router.handle(contract.adminGetProduct, async ({ params }) => admin.getProduct(params.id));
  router.handle(contract.createProduct, async ({ principal, body }) => admin.createProduct(principal, body));
  router.handle(contract.updateProduct, async ({ principal, params, body }) =>
    admin.updateProduct(principal, params.id, body),
  );
  router.handle(contract.publishProduct, async ({ principal, params }) =>
    admin.setPublished(principal, params.id, true),
  );
  router.handle(contract.unpublishProduct, async ({ principal, params }) =>
    admin.setPublished(principal, params.id, false),
  );
  router.handle(contract.setSkuPrice, async ({ principal, params, body }) =>
    admin.setPrice(principal, params.skuId, body),
  );
  router.handle(contract.setSkuStock, async ({ principal, params, body }) =>
    admin.setStock(principal, params.skuId, body.stock),
  );
  router.handle(contract.adjustSkuStock, async ({ principal, params, body }) =>
    admin.adjustStock(principal, params.skuId, body),
  );
  router.handle(contract.createCategory, async ({ principal, body }) => admin.createCategory(principal, body));
  router.handle(contract.updateCategory, async ({ principal, params, body }) =>
    admin.updateCategory(principal, params.id, body),
  );
  router.handle(contract.deleteCategory, async ({ principal, params }) => ({
    items: await admin.deleteCategory(principal, params.id),
  }));
}
