/**
 * The storefront's view of the page table in `@chatmall/shared` (shared/src/routes.ts), which
 * the server reads too: app.config.ts registers the pages from it (main package, subpackages,
 * tab bar), navigation and share cards build their URLs with it. Page paths have no leading
 * slash (app.json form); URLs for navigation do.
 */
import { pagePaths, pageUrl, subpackageRoots, type OrderStatus, type PagePath } from '@chatmall/shared';

/** app.json `pages` (the first one opens the app) and `subPackages` (pages relative to their root). */
export { mainPackagePages as mainPages, subpackagePages } from '@chatmall/shared';

/** Feature subpackages: WeChat downloads them on first use, so the main package stays small. */
export const subpackages = subpackageRoots;

export const routes = pagePaths;

export type Route = PagePath;

/** The tab bar, in order. */
export const tabs = [
  { route: routes.home, text: '首页', icon: 'home' },
  { route: routes.category, text: '分类', icon: 'category' },
  { route: routes.cart, text: '购物车', icon: 'cart' },
  { route: routes.me, text: '我的', icon: 'me' },
] as const;

const tabRoutes: readonly string[] = tabs.map((t) => t.route);

export function isTabRoute(route: string): boolean {
  return tabRoutes.includes(route);
}

/** `/pages/product/index?id=prod_longjing` — for navigateTo and share paths. */
export function productUrl(id: string): string {
  return pageUrl('product', { id });
}
export function searchUrl(q?: string): string {
  return pageUrl('search', { q });
}
/** Checkout from the cart's selected lines, or "buy now" of one SKU. */
export function checkoutUrl(from: { cart: true } | { skuId: string; productId: string; quantity: number }): string {
  return 'cart' in from
    ? pageUrl('checkout', { from: 'cart' })
    : pageUrl('checkout', { sku: from.skuId, product: from.productId, qty: from.quantity });
}
export function ordersUrl(status?: OrderStatus): string {
  return pageUrl('orders', { status });
}
/** The orders list on its 售后 (after-sales) tab. */
export function refundsUrl(): string {
  return pageUrl('orders', { tab: 'refunds' });
}
/** 申请退款 / 售后 for an order, optionally with one line chosen. */
export function afterSalesUrl(orderId: string, lineId?: string): string {
  return pageUrl('afterSales', { order: orderId, line: lineId });
}
/** Review one line of a received order. */
export function reviewUrl(orderId: string, lineId: string): string {
  return pageUrl('review', { order: orderId, line: lineId });
}
/** An order's page; `pay` (right after checkout) opens WeChat's payment sheet at once in the mini-program. */
export function orderUrl(id: string, opts: { pay?: boolean } = {}): string {
  return pageUrl('order', { id, pay: opts.pay ? 1 : undefined });
}
export function favouritesUrl(): string {
  return pageUrl('favourites');
}
export function addressesUrl(): string {
  return pageUrl('addresses');
}
/** The merchant pages (pkg-merchant) of a staff member whose WeChat is bound; `bind` takes the console's code. */
export function merchantUrl(
  page: 'merchantHome' | 'merchantShip' | 'merchantRefunds' | 'merchantRedEnvelope' | 'merchantCounter',
): string {
  return pageUrl(page);
}
export function merchantBindUrl(code?: string): string {
  return pageUrl('merchantBind', { code });
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
/** 领券中心 the claim centre, 我的优惠券 the wallet (pkg-promo). */
export function couponCentreUrl(): string {
  return pageUrl('couponCentre');
}
export function myCouponsUrl(tab?: 'usable' | 'used' | 'expired'): string {
  return pageUrl('myCoupons', { tab });
}
/** A red-envelope pack's page (pkg-redpack), as its share card opens it. */
export function redEnvelopeUrl(id: string, from?: string): string {
  return pageUrl('redEnvelope', { id, from });
}
/** 会员中心 and its pages (pkg-member); the wallet, back from the H5 cashier, waits for `topUp`. */
export function memberUrl(page: 'memberCentre' | 'memberJoin' | 'memberPoints' | 'memberCode'): string {
  return pageUrl(page);
}
export function memberWalletUrl(topUp?: string): string {
  return pageUrl('memberWallet', { topUp });
}
/** 门店 the shop's stores nearest first (pkg-o2o). */
export function storesUrl(): string {
  return pageUrl('stores');
}
