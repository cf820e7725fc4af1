import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { Config } from '../../kernel/config';
import type { CatalogService } from './catalog.service';

export function catalogRoutes(router: ContractRouter, catalog: CatalogService, config: Pick<Config, 'env' | 'wechat'>): void {
  router.handle(contract.clientConfig, async () => ({
    shopName: '茶与点心 Tea & Snacks',
    wechatSandboxUrl: config.env === 'production' ? null : config.wechat.apiBase,
  }));
  router.handle(contract.listCategories, async () => ({ items: await catalog.listCategories() }));
  router.handle(contract.listProducts, async ({ query }) => catalog.listProducts(query));
  router.handle(contract.getProduct, async ({ params }) => catalog.getProduct(params.id));
}
