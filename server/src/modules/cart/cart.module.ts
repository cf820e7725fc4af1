import type { ShippingRule } from '@chatmall/shared';
import type { AppModule, Kernel } from '../module';
import { cartRoutes } from './cart.routes';
import { CartService } from './cart.service';

/** The buyer's server-side cart, re-priced on every read. */
export function cartModule(k: Kernel, deps: { shippingRule: () => Promise<ShippingRule> }) {
  const cart = new CartService(k.db, deps.shippingRule);
  return { name: 'cart', services: { cart }, routes: (api) => cartRoutes(api, cart) } satisfies AppModule;
}
