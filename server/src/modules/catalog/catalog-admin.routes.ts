import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { CatalogAdminService } from './catalog-admin.service';

/** The merchant console's catalog routes; who may call each is declared in the contract. */
export function catalogAdminRoutes(router: ContractRouter, admin: CatalogAdminService): void {
  router.handle(contract.adminListProducts, async ({ query }) => admin.listProducts(query));
  router.handle(contract.adminGetProduct, async ({ params }) => admin.getProduct(params.id));
  router.handle(contract.createProduct, async ({ ctx, principal, body }) => admin.createProduct(ctx, principal, body));
  router.handle(contract.updateProduct, async ({ ctx, principal, params, body }) =>
    admin.updateProduct(ctx, principal, params.id, body),
  );
  router.handle(contract.publishProduct, async ({ ctx, principal, params }) =>
    admin.setPublished(ctx, principal, params.id, true),
  );
  router.handle(contract.unpublishProduct, async ({ ctx, principal, params }) =>
    admin.setPublished(ctx, principal, params.id, false),
  );
  router.handle(contract.setSkuPrice, async ({ ctx, principal, params, body }) =>
    admin.setPrice(ctx, principal, params.skuId, body),
  );
  router.handle(contract.setSkuStock, async ({ ctx, principal, params, body }) =>
    admin.setStock(ctx, principal, params.skuId, body.stock),
  );
  router.handle(contract.adjustSkuStock, async ({ ctx, principal, params, body }) =>
    admin.adjustStock(ctx, principal, params.skuId, body),
  );
  router.handle(contract.createCategory, async ({ ctx, principal, body }) =>
    admin.createCategory(ctx, principal, body),
  );
  router.handle(contract.updateCategory, async ({ ctx, principal, params, body }) =>
    admin.updateCategory(ctx, principal, params.id, body),
  );
  router.handle(contract.reorderCategories, async ({ ctx, principal, body }) => ({
    items: await admin.reorderCategories(ctx, principal, body.ids),
  }));
  router.handle(contract.deleteCategory, async ({ ctx, principal, params }) => ({
    items: await admin.deleteCategory(ctx, principal, params.id),
  }));
}
