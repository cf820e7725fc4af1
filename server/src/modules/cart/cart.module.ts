import type { AppModule, Kernel } from '../module';
import { cartRoutes } from './cart.routes';
import { CartService } from './cart.service';

/** The buyer's server-side cart, re-priced on every read. */
export function cartModule(k: Kernel) {
  const cart = new CartService(k.db);
  return { name: 'cart', services: { cart }, routes: (api) => cartRoutes(api, cart) } satisfies AppModule;
}
