import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { Config } from '../../kernel/config';
import type { ShopSettingsService } from './shop-settings.service';

/**
 * The owner's shop-settings routes, and the storefront's start-up config (the shop as buyers
 * see it, and outside production the sandbox that plays WeChat for the H5 build).
 */
export function shopRoutes(
  router: ContractRouter,
  settings: ShopSettingsService,
  config: Pick<Config, 'env' | 'wechat'>,
): void {
  router.handle(contract.clientConfig, async () => ({
    shop: await settings.profile(),
    wechatSandboxUrl: config.env === 'production' ? null : config.wechat.apiBase,
  }));
  router.handle(contract.getShopSettings, async () => settings.get());
  router.handle(contract.updateShopSettings, async ({ ctx, principal, body }) => settings.update(ctx, principal, body));
}
