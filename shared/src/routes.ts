/**
 * The mini-program's pages, once, for both sides: the storefront builds app.config.ts and its
 * navigation from them, the server its message links and share paths. A page path has no
 * leading slash (app.json, subscribe-message `page`); a URL for navigateTo or a share path
 * has one (`pageUrl`).
 */
import type { OrderStatus } from './orders';

/** Feature subpackages: WeChat downloads them on first use, so the main package stays small. */
export const subpackageRoots = {
  order: 'pkg-order',
  member: 'pkg-member',
  merchant: 'pkg-merchant',
  promo: 'pkg-promo',
  redpack: 'pkg-redpack',
  o2o: 'pkg-o2o',
} as const;

export const pagePaths = {
  // Main package: the tab pages and what a shared link opens. The first one opens the app.
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
  afterSales: 'pkg-order/pages/after-sales/index',
  review: 'pkg-order/pages/review/index',
  // pkg-member
  favourites: 'pkg-member/pages/favourites/index',
  addresses: 'pkg-member/pages/addresses/index',
  // pkg-member: the membership card (issue 15)
  memberCentre: 'pkg-member/pages/centre/index',
  memberJoin: 'pkg-member/pages/join/index',
  memberPoints: 'pkg-member/pages/points/index',
  memberWallet: 'pkg-member/pages/wallet/index',
  memberCode: 'pkg-member/pages/code/index',
  // pkg-merchant: a bound staff member's pages (docs/decisions/0026-staff-wechat-binding.md)
  merchantBind: 'pkg-merchant/pages/bind/index',
  merchantHome: 'pkg-merchant/pages/home/index',
  merchantShip: 'pkg-merchant/pages/ship/index',
  merchantRefunds: 'pkg-merchant/pages/refunds/index',
  merchantRedEnvelope: 'pkg-merchant/pages/red-envelope/index',
  merchantCounter: 'pkg-merchant/pages/counter/index',
  // pkg-promo: coupons (docs/decisions/0024-coupons.md)
  couponCentre: 'pkg-promo/pages/coupon-centre/index',
  myCoupons: 'pkg-promo/pages/my-coupons/index',
  // pkg-redpack: a red-envelope pack's page, opened from its share card (RED_ENVELOPE_PAGE in red-envelopes.ts)
  redEnvelope: 'pkg-redpack/pages/red-envelope/index',
  // pkg-o2o: the shop's stores nearest first (issue 16)
  stores: 'pkg-o2o/pages/stores/index',
} as const;

export type PageName = keyof typeof pagePaths;
export type PagePath = (typeof pagePaths)[PageName];

/** The query each page reads (`useRouter().params`); pages without one take none. */
export interface PageQueries {
  home: undefined;
  category: undefined;
  cart: undefined;
  me: undefined;
  product: { id: string };
  search: { q?: string };
  /** From the cart's selected lines, or "buy now" of one SKU. */
  checkout: { from: 'cart' } | { sku: string; product: string; qty: number };
  /** `tab=refunds`: the 售后 tab. */
  orders: { status?: OrderStatus; tab?: 'refunds' };
  /** `pay=1` right after checkout: the page opens WeChat's payment sheet at once. */
  order: { id: string; pay?: 1 };
  /** 申请退款 / 售后 for one order; `line` preselects one of its lines. */
  afterSales: { order: string; line?: string };
  /** Review one line of a received order (or edit its review). */
  review: { order: string; line: string };
  favourites: undefined;
  addresses: undefined;
  memberCentre: undefined;
  memberJoin: undefined;
  memberPoints: undefined;
  /** `topUp`: back from the sandbox cashier (H5) with the top-up to wait for; the cashier adds `wxpay`. */
  memberWallet: { topUp?: string };
  memberCode: undefined;
  /** The console's QR code opens this page with its one-time code. */
  merchantBind: { code?: string };
  merchantHome: undefined;
  merchantShip: undefined;
  merchantRefunds: undefined;
  /** 发红包: an owner or marketer creates a group red-envelope pack from the phone. */
  merchantRedEnvelope: undefined;
  /** 会员收银: a clerk or owner scans a member code, records a purchase or takes a balance payment. */
  merchantCounter: undefined;
  couponCentre: undefined;
  myCoupons: { tab?: 'usable' | 'used' | 'expired' };
  /**
   * The pack and who shared the card (`redEnvelopeSharePath`). Opened from a chat, WeChat adds
   * the launch (scene, shareTicket) to the app's launch options; the H5 build gets them in the
   * URL from the sandbox (`scene`, `shareTicket` or `enterId`).
   */
  redEnvelope: { id: string; from?: string };
  stores: undefined;
}

/** Arguments after the page name: none, an optional query, or a required one. */
type QueryArgs<P extends PageName> = PageQueries[P] extends undefined
  ? []
  : // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- "every field optional"
    {} extends PageQueries[P]
    ? [query?: PageQueries[P]]
    : [query: PageQueries[P]];

/**
 * `pagePath('order', { id })` → `pkg-order/pages/order/index?id=…`: values URL-encoded, absent
 * ones (undefined or '') left out. For app.json-style paths: subscribe and template message
 * `page`, `pagepath` of a mini-program card.
 */
export function pagePath<P extends PageName>(page: P, ...[query]: QueryArgs<P>): string {
  const parts = Object.entries((query ?? {}) as Record<string, string | number | undefined>)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return `${pagePaths[page]}${parts.length ? `?${parts.join('&')}` : ''}`;
}

/** `pageUrl('product', { id })` → `/pages/product/index?id=…`: navigateTo, switchTab and share paths. */
export function pageUrl<P extends PageName>(page: P, ...query: QueryArgs<P>): string {
  return `/${pagePath(page, ...query)}`;
}

const roots: readonly string[] = Object.values(subpackageRoots);
const rootOf = (path: string) => roots.find((root) => path.startsWith(`${root}/`));

/** app.json `pages`: the main package's pages, in table order (the first opens the app). */
export function mainPackagePages(): string[] {
  return Object.values(pagePaths).filter((p) => rootOf(p) === undefined);
}

/** app.json `subPackages`: each root with its pages relative to it. */
export function subpackagePages(): { root: string; pages: string[] }[] {
  return roots.map((root) => ({
    root,
    pages: Object.values(pagePaths)
      .filter((p) => rootOf(p) === root)
      .map((p) => p.slice(root.length + 1)),
  }));
}
