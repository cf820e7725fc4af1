/**
 * The API contract: every endpoint declared once, with its method, path and zod schemas.
 * The server validates requests and types its handlers from this table; the storefront's
 * client is typed from it. Adding an endpoint = one entry here, one handler, one test.
 */
import { z } from 'zod';
import { CategoryList, ProductDetail, ProductId, ProductListQuery, ProductPage } from './catalog';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call an endpoint. Later issues add buyer sessions and staff roles. */
export type Access = { kind: 'public' };

export interface Endpoint<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** Koa-router style path; `:name` segments are filled from `params`. */
  path: string;
  summary: string;
  access: Access;
  params: P;
  query: Q;
  body: B;
  response: R;
}

const Empty = z.object({});

function endpoint<
  P extends z.ZodType = typeof Empty,
  Q extends z.ZodType = typeof Empty,
  B extends z.ZodType = typeof Empty,
  R extends z.ZodType = z.ZodType,
>(e: {
  method: HttpMethod;
  path: string;
  summary: string;
  access?: Access;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
}): Endpoint<P, Q, B, R> {
  return {
    access: { kind: 'public' },
    params: Empty as unknown as P,
    query: Empty as unknown as Q,
    body: Empty as unknown as B,
    ...e,
  } as Endpoint<P, Q, B, R>;
}

export const contract = {
  listCategories: endpoint({
    method: 'GET',
    path: '/api/categories',
    summary: 'Every category, in the merchant’s order',
    response: CategoryList,
  }),
  listProducts: endpoint({
    method: 'GET',
    path: '/api/products',
    summary: 'Published products, optionally in one category, a page at a time',
    query: ProductListQuery,
    response: ProductPage,
  }),
  getProduct: endpoint({
    method: 'GET',
    path: '/api/products/:id',
    summary: 'One product with its specs and SKUs',
    params: z.object({ id: ProductId }),
    response: ProductDetail,
  }),
} as const;

export type Contract = typeof contract;
export type EndpointName = keyof Contract;

/** What a caller passes: params, query and body, each only when the endpoint has any. */
export type RequestOf<E extends Endpoint> =
  z.input<E['params']> extends Record<string, never>
    ? OptionalParts<E>
    : { params: z.input<E['params']> } & OptionalParts<E>;
type OptionalParts<E extends Endpoint> = { query?: z.input<E['query']>; body?: z.input<E['body']> };
export type ResponseOf<E extends Endpoint> = z.infer<E['response']>;

/** `/api/products/:id` + `{ id: 'prod_1' }` → `/api/products/prod_1` (segments URL-encoded). */
export function fillPath(path: string, params: Record<string, unknown> = {}): string {
  return path.replace(/:([A-Za-z_]\w*)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === '') throw new Error(`missing path parameter "${name}"`);
    return encodeURIComponent(String(value));
  });
}

/** Query object → `?a=1&b=2`, skipping undefined values. */
export function queryString(query: Record<string, unknown> = {}): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v]) {
      parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(item))}`);
    }
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
