/**
 * Every page path, once: app.config.ts registers them (main package, subpackages, tab bar),
 * navigation and share cards use them. Page paths have no leading slash (app.json form);
 * URLs for navigation do.
 */
import type { OrderStatus } from '@chatmall/shared';

/** Feature subpackages: WeChat downloads them on first use, so the main package stays small. */
export const subpackages = {
  order: 'pkg-order',
  member: 'pkg-member',
} as const;

export const routes = {
  // Main package: the tab pages and what a shared link opens.
  home: 'pages/home/index',
  category: 'pages/category/index',
  cart: 'pages/cart/index',
  me: 'pages/me/index',
  product: 'pages/product/index',
  search: 'pages/search/index',
  // pkg-order
  checkout: 'pkg-order/pages/checkout/index',
  orders: 'pkg-order/pages/orders/index',
  order: 'pkg-order/pages/order/index',
  // pkg-member
  favourites: 'pkg-member/pages/favourites/index',
  addresses: 'pkg-member/pages/addresses/index',
} as const;

export type Route = (typeof routes)[keyof typeof routes];

/** The tab bar, in order. */
export const tabs = [
  { route: routes.home, text: '首页', icon: 'home' },
  { route: routes.category, text: '分类', icon: 'category' },
  { route: routes.cart, text: '购物车', icon: 'cart' },
  { route: routes.me, text: '我的', icon: 'me' },
] as const;

const tabRoutes: readonly string[] = tabs.map((t) => t.route);

/** Main-package pages (app.json `pages`), the first one opens the app. */
export function mainPages(): string[] {
  return Object.values(routes).filter((r) => !Object.values(subpackages).some((root) => r.startsWith(`${root}/`)));
}

/** app.json `subPackages`: pages listed relative to their root. */
export function subpackagePages(): { root: string; pages: string[] }[] {
  return Object.values(subpackages).map((root) => ({
    root,
    pages: Object.values(routes)
      .filter((r) => r.startsWith(`${root}/`))
      .map((r) => r.slice(root.length + 1)),
  }));
}

function url(route: Route, query: Record<string, string | number | undefined> = {}): string {
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return `/${route}${parts.length ? `?${parts.join('&')}` : ''}`;
}

export function isTabRoute(route: string): boolean {
  return tabRoutes.includes(route);
}

/** `/pages/product/index?id=prod_longjing` — for navigateTo and share paths. */
export function productUrl(id: string): string {
  return url(routes.product, { id });
}
export function searchUrl(q?: string): string {
  return url(routes.search, { q });
}
/** Checkout from the cart's selected lines, or "buy now" of one SKU. */
export function checkoutUrl(from: { cart: true } | { skuId: string; productId: string; quantity: number }): string {
  return 'cart' in from
    ? url(routes.checkout, { from: 'cart' })
    : url(routes.checkout, { sku: from.skuId, product: from.productId, qty: from.quantity });
}
export function ordersUrl(status?: OrderStatus): string {
  return url(routes.orders, { status });
}
/** An order's page; `pay` (right after checkout) opens WeChat's payment sheet at once in the mini-program. */
export function orderUrl(id: string, opts: { pay?: boolean } = {}): string {
  return url(routes.order, { id, pay: opts.pay ? 1 : undefined });
}
export function favouritesUrl(): string {
  return url(routes.favourites);
}
export function addressesUrl(): string {
  return url(routes.addresses);
}
/** Tab pages are reached with switchTab, others with navigateTo. */
export function tabUrl(route: (typeof tabs)[number]['route']): string {
  return `/${route}`;
}

/** A query value from `useRouter().params`: both weapp and Taro's H5 router hand it over still URL-encoded. */
export function routeParam(value: string | undefined): string {
  if (!value) return '';
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // a malformed escape: let the API call answer "not found"
  }
}
