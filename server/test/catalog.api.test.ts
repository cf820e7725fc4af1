import { demoCategories, demoProducts } from '../src/modules/catalog/seed/demo-shop';
import { getJson, startStack, type TestStack } from './support/harness';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

describe('GET /api/categories', () => {
  it('lists the seeded categories in the merchant’s order', async () => {
    const { status, body } = await getJson(`${stack.baseUrl}/api/categories`);
    expect(status).toBe(200);
    expect(body.items.map((c: { nameEn: string }) => c.nameEn)).toEqual(demoCategories.map((c) => c.nameEn));
  });
});

describe('GET /api/products', () => {
  it('pages through every published product with cursors, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const { status, body } = await getJson(`${stack.baseUrl}/api/products?limit=10${q}`);
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(10);
      seen.push(...body.items.map((p: { id: string }) => p.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(demoProducts.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(demoProducts.length / 10));
  });

  it('filters by category and reports price range and sold-out state', async () => {
    const { body } = await getJson(`${stack.baseUrl}/api/products?categoryId=cat_greentea&limit=50`);
    expect(body.items.every((p: { categoryId: string }) => p.categoryId === 'cat_greentea')).toBe(true);
    const longjing = body.items.find((p: { id: string }) => p.id === 'prod_longjing');
    expect(longjing).toMatchObject({ priceFrom: 6800, priceTo: 29800, soldOut: false, name: '明前西湖龙井' });
    const pastries = await getJson(`${stack.baseUrl}/api/products?categoryId=cat_oolong&limit=50`);
    expect(pastries.body.items.find((p: { id: string }) => p.id === 'prod_shoumeicake').soldOut).toBe(true);
  });

  it('hides unpublished products', async () => {
    await stack.db.query("UPDATE products SET published = 0 WHERE id = 'prod_qimen'");
    try {
      const list = await getJson(`${stack.baseUrl}/api/products?categoryId=cat_blacktea&limit=50`);
      expect(list.body.items.map((p: { id: string }) => p.id)).not.toContain('prod_qimen');
      expect((await getJson(`${stack.baseUrl}/api/products/prod_qimen`)).status).toBe(404);
    } finally {
      await stack.db.query("UPDATE products SET published = 1 WHERE id = 'prod_qimen'");
    }
  });

  it.each([
    ['0', 'must be at least 1'],
    ['abc', 'must be a whole number from 1 to 50'],
    ['51', 'must be at most 50'],
    ['2.5', 'must be a whole number from 1 to 50'],
  ])('answers 400 naming query.limit for limit=%s', async (limit, message) => {
    const { status, body } = await getJson(`${stack.baseUrl}/api/products?limit=${limit}`);
    expect(status).toBe(400);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.fields).toEqual([{ path: 'query.limit', message }]);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+|node_modules/);
  });

  it('answers 400 naming query.cursor for a forged cursor', async () => {
    const { status, body } = await getJson(`${stack.baseUrl}/api/products?cursor=not-a-cursor`);
    expect(status).toBe(400);
    expect(body.fields[0].path).toBe('query.cursor');
  });

  it('answers 400 naming query.categoryId for a malformed category id', async () => {
    const { status, body } = await getJson(`${stack.baseUrl}/api/products?categoryId=drop%20table`);
    expect(status).toBe(400);
    expect(body.fields[0].path).toBe('query.categoryId');
  });
});

describe('GET /api/products/:id', () => {
  it('returns specs and SKUs with integer-fen prices', async () => {
    const { status, body } = await getJson(`${stack.baseUrl}/api/products/prod_longjing`);
    expect(status).toBe(200);
    expect(body.specs).toEqual([{ name: '规格', nameEn: 'Weight', values: ['50g', '100g', '250g'] }]);
    expect(body.skus.map((s: { specValues: string[]; price: number }) => [s.specValues[0], s.price])).toEqual([
      ['50g', 6800],
      ['100g', 12800],
      ['250g', 29800],
    ]);
    expect(body.skus[1].originalPrice).toBe(14800);
  });

  it('answers 404 with a problem document for an unknown product', async () => {
    const { status, body, headers } = await getJson(`${stack.baseUrl}/api/products/prod_doesnotexist`);
    expect(status).toBe(404);
    expect(body).toMatchObject({ code: 'NOT_FOUND', message: 'Product was not found.' });
    expect(body.requestId).toBe(headers.get('x-request-id'));
  });

  it('answers 400 naming params.id for an id that is not a product id', async () => {
    const { status, body } = await getJson(`${stack.baseUrl}/api/products/sku_longjing1`);
    expect(status).toBe(400);
    expect(body.fields[0].path).toBe('params.id');
  });
});

describe('routing and health', () => {
  it('answers unknown API routes with a JSON 404', async () => {
    const { status, body } = await getJson(`${stack.baseUrl}/api/nope`);
    expect(status).toBe(404);
    expect(body.code).toBe('NOT_FOUND');
  });

  it('/healthz and /readyz answer 200 when the database and Redis are up', async () => {
    expect((await getJson(`${stack.baseUrl}/healthz`)).status).toBe(200);
    const ready = await getJson(`${stack.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'ok', redis: 'ok' });
  });

  it('serves the seeded SVG images under /media', async () => {
    const res = await fetch(`${stack.baseUrl}/media/demo/prod_longjing.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/image\/svg\+xml/);
    expect(await res.text()).toContain('明前西湖龙井');
  });

  it('lets a storefront on another origin (a dev server) read the catalog, and answers its preflight', async () => {
    const origin = 'http://localhost:10086';
    const res = await fetch(`${stack.baseUrl}/api/products?limit=1`, { headers: { origin } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toBe('X-Request-Id,Retry-After');
    const preflight = await fetch(`${stack.baseUrl}/api/cart`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
  });

  it('refuses a JSON body over the size limit with 413 and malformed JSON with 400', async () => {
    const big = await getJson(`${stack.baseUrl}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ x: 'a'.repeat(1024 * 1024 + 10) }),
    });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
    // Parsed by the route that expects JSON (here: sign-in), after the body was read within its limit.
    const bad = await getJson(`${stack.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"x":',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].path).toBe('body');
  });
});
