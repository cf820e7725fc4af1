import type { AppModule, Kernel } from '../module';
import { ShopSettingsService } from './shop-settings.service';
import { shopRoutes } from './shop.routes';

/** The shop's own settings (name, logo, service phone, shipping rule) and the storefront's start-up config. */
export function shopModule(k: Kernel) {
  const settings = new ShopSettingsService(k.db);
  return {
    name: 'shop',
    services: { settings },
    routes(api) {
      shopRoutes(api, settings, k.config);
    },
  } satisfies AppModule;
}
