import { contract, fillPath, queryString } from '../src/contract';
import { ApiError, createApiClient, type TransportRequest } from '../src/client';
import { findSku, ProductListQuery } from '../src/catalog';
import { newId, idSchema } from '../src/ids';

describe('the contract table', () => {
  it('declares each method + path once', () => {
    const keys = Object.values(contract).map((e) => `${e.method} ${e.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('fills path parameters, URL-encoded, and refuses a missing one', () => {
    expect(fillPath('/api/products/:id', { id: 'prod_a b' })).toBe('/api/products/prod_a%20b');
    expect(() => fillPath('/api/products/:id', {})).toThrow(/id/);
  });

  it('builds query strings and skips undefined values', () => {
    expect(queryString({ a: 1, b: undefined, c: 'x y' })).toBe('?a=1&c=x%20y');
    expect(queryString({})).toBe('');
  });

  it('limits product pages to 1–50 and reads the limit from a query string', () => {
    expect(ProductListQuery.parse({ limit: '10' }).limit).toBe(10);
    expect(ProductListQuery.parse({}).limit).toBe(20);
    for (const bad of ['0', '51', 'abc', '2.5']) expect(ProductListQuery.safeParse({ limit: bad }).success).toBe(false);
  });
});

describe('the typed client', () => {
  const product = {
    id: 'prod_x',
    categoryId: 'cat_x',
    name: '龙井',
    nameEn: 'Longjing',
    subtitle: '',
    cover: '/media/x.svg',
    priceFrom: 100,
    priceTo: 200,
    soldOut: false,
    description: '',
    images: [],
    specs: [],
    skus: [{ id: 'sku_x1', specValues: [], price: 100, originalPrice: null, stock: 1, image: null }],
    favouriteCount: 0,
  };

  it('calls the endpoint’s method and path and parses the response', async () => {
    const seen: TransportRequest[] = [];
    const api = createApiClient({
      baseUrl: 'http://shop.test',
      transport: async (req) => {
        seen.push(req);
        return { status: 200, body: { ...product, internalNote: 'dropped' } };
      },
    });
    const got = await api.getProduct({ params: { id: 'prod_x' } });
    expect(seen[0]).toMatchObject({ method: 'GET', url: 'http://shop.test/api/products/prod_x' });
    expect(got.name).toBe('龙井');
    expect(got).not.toHaveProperty('internalNote');
  });

  it('turns a problem answer into an ApiError with its code and fields', async () => {
    const api = createApiClient({
      baseUrl: '',
      transport: async () => ({
        status: 400,
        body: {
          code: 'VALIDATION_FAILED',
          message: 'bad',
          fields: [{ path: 'query.limit', message: 'must be at least 1' }],
        },
      }),
    });
    const err = await api.listProducts({ query: { limit: 0 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', fields: [{ path: 'query.limit' }] });
  });
});

describe('ids and SKU choice', () => {
  it('makes prefixed, time-ordered ids that pass their own schema', () => {
    const a = newId('product', 1_700_000_000_000);
    const b = newId('product', 1_700_000_000_001);
    expect(a < b).toBe(true);
    expect(idSchema('product').safeParse(a).success).toBe(true);
    expect(idSchema('sku').safeParse(a).success).toBe(false);
  });

  it('draws the random part fresh each millisecond, across many refills of the random pool', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => newId('payNotification', 1_700_000_000_000 + i));
    expect(new Set(ids).size).toBe(ids.length);
    // Every position of the random part takes every letter of the alphabet: no byte is stuck.
    for (let i = 13; i < 29; i++) expect(new Set(ids.map((id) => id[i])).size).toBe(32);
  });

  it('ids made in one millisecond never repeat and sort in the order they were made', () => {
    const ids = Array.from({ length: 5000 }, () => newId('orderLine', 1_700_000_100_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // An explicitly earlier time (demo history) keeps its own time.
    expect(newId('orderLine', 1_600_000_000_000) < ids[0]).toBe(true);
  });

  it('finds the SKU matching every chosen spec value, and none for a partial choice', () => {
    const skus = [
      { id: 'sku_a', specValues: ['50g', '罐装'], price: 1, originalPrice: null, stock: 1, image: null },
      { id: 'sku_b', specValues: ['100g', '罐装'], price: 2, originalPrice: null, stock: 1, image: null },
    ];
    expect(findSku({ skus }, ['100g', '罐装'])?.id).toBe('sku_b');
    expect(findSku({ skus }, ['100g', undefined])).toBeUndefined();
  });
});
