/**
 * The count on the cart tab (units in the cart), kept in step with every answer that carries
 * the cart: the cart page, add to cart, and checkout. WeChat refuses `setTabBarBadge` while a
 * non-tab page is showing, so the last count is kept and tab pages apply it when shown.
 */
import Taro from '@tarojs/taro';
import type { Cart } from '@chatmall/shared';
import { routes, tabs } from '../routes';
import { api } from './api';
import { loadSession } from './session';

const cartTab = tabs.findIndex((t) => t.route === routes.cart);

/** Units in the cart as last seen; null until a cart answer arrives. */
let units: number | null = null;

/** The badge text: nothing for an empty cart, `99+` past two digits. */
export function cartBadgeText(count: number): string | null {
  if (count <= 0) return null;
  return count > 99 ? '99+' : String(count);
}

/** Shows the badge for the count last seen (tab pages call this when shown). */
export function applyCartBadge(): void {
  if (units === null) return;
  const text = cartBadgeText(units);
  // Refused on a non-tab page in the mini-program: the next tab page shown applies it.
  const done = text ? Taro.setTabBarBadge({ index: cartTab, text }) : Taro.removeTabBarBadge({ index: cartTab });
  void Promise.resolve(done).catch(() => undefined);
}

/** Updates the badge from a cart the API answered with. */
export function showCartCount(cart: Pick<Cart, 'lines'>): void {
  units = cart.lines.reduce((n, l) => n + l.quantity, 0);
  applyCartBadge();
}

/**
 * Reads the cart and updates the badge, for a buyer already signed in (opening the shop does
 * not sign anyone in just for a badge). Failures stay quiet: the badge is a hint.
 */
export async function refreshCartBadge(): Promise<void> {
  if (!loadSession()) return;
  try {
    showCartCount(await api.getCart({}));
  } catch {
    // keep the last count
  }
}

/** On a tab page's show: the first time, read the cart; afterwards, show the last count. */
export function syncCartBadgeOnShow(): void {
  if (units === null) void refreshCartBadge();
  else applyCartBadge();
}
