/**
 * Every page path, once: app.config.ts registers them, navigation and share cards use them.
 * Page paths have no leading slash (app.json form); URLs for navigation do.
 */
export const routes = {
  home: 'pages/home/index',
  product: 'pages/product/index',
} as const;

export type Route = (typeof routes)[keyof typeof routes];

/** `/pages/product/index?id=prod_longjing` — for navigateTo and share paths. */
export function productUrl(id: string): string {
  return `/${routes.product}?id=${encodeURIComponent(id)}`;
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
