/** Buyer keyword search: Chinese and English names, subtitles and category names, `%` and `_` taken literally. */
import { startStack, type TestStack } from './support/harness';
import { api, makeStaff } from './support/people';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
  const owner = await makeStaff(stack.db, 'owner');
  for (const [name, nameEn] of [
    ['100%纯可可', 'Pure Cocoa 100%'],
    ['特级_限定', 'Grade_A'],
  ]) {
    const p = await api(stack.baseUrl, 'POST', '/api/admin/products', owner.auth, {
      categoryId: 'cat_nuts',
      name,
      nameEn,
      skus: [{ specValues: [], price: 990, stock: 3 }],
    });
    await api(stack.baseUrl, 'POST', `/api/admin/products/${p.body.id}/publish`, owner.auth);
  }
}, 60_000);
afterAll(async () => stack?.close());

const search = async (q: string, extra = '') => {
  const res = await api(stack.baseUrl, 'GET', `/api/products?q=${encodeURIComponent(q)}${extra}`);
  expect(res.status).toBe(200);
  return res.body as { items: { id: string; name: string; nameEn: string }[]; nextCursor: string | null };
};

it('finds a product by its Chinese name', async () => {
  expect((await search('龙井')).items.map((p) => p.id)).toContain('prod_longjing');
});

it('finds a product by its English name, whatever the case, with surrounding spaces trimmed', async () => {
  expect((await search('  LONGJING ')).items.map((p) => p.id)).toContain('prod_longjing');
});

it('finds a product by its subtitle', async () => {
  expect((await search('一芽一叶')).items.map((p) => p.id)).toContain('prod_longjing');
});

it('finds every product of a category by the category’s name, Chinese or English', async () => {
  const greenTeas: { id: string }[] = await stack.db.query(
    "SELECT id FROM products WHERE category_id = 'cat_greentea' AND published = 1 ORDER BY id",
  );
  expect(greenTeas.length).toBeGreaterThan(2);
  const ids = (items: { id: string }[]) => items.map((p) => p.id).sort();
  // 安吉白茶 and 黄山毛峰 say neither 绿茶 nor "green" themselves: only their category does.
  expect(ids((await search('绿茶', '&limit=50')).items)).toEqual(greenTeas.map((p) => p.id));
  expect(ids((await search('green tea', '&limit=50')).items)).toEqual(greenTeas.map((p) => p.id));
  // A category name paired with a category filter still narrows to that category.
  expect((await search('绿茶', '&categoryId=cat_nuts')).items).toEqual([]);
});

it('takes % and _ literally, not as wildcards', async () => {
  expect((await search('%')).items.map((p) => p.name)).toEqual(['100%纯可可']);
  expect((await search('_')).items.map((p) => p.name)).toEqual(['特级_限定']);
  expect((await search('100%纯')).items.map((p) => p.name)).toEqual(['100%纯可可']);
  expect((await search("'; DROP TABLE products; --")).items).toEqual([]);
});

it('pages through the matches and combines with the category filter', async () => {
  const all = (await search('茶', '&limit=50')).items.map((p) => p.id);
  expect(all.length).toBeGreaterThan(2);
  const first = await search('茶', '&limit=2');
  const second = await search('茶', `&limit=50&cursor=${encodeURIComponent(first.nextCursor!)}`);
  expect([...first.items, ...second.items].map((p) => p.id)).toEqual(all);
  const green = await search('茶', '&categoryId=cat_greentea&limit=50');
  expect(green.items.length).toBeGreaterThan(0);
  expect(green.items.length).toBeLessThan(all.length);
});

it('does not show unpublished products', async () => {
  await stack.db.query("UPDATE products SET published = 0 WHERE id = 'prod_longjing'");
  try {
    expect((await search('龙井')).items.map((p) => p.id)).not.toContain('prod_longjing');
  } finally {
    await stack.db.query("UPDATE products SET published = 1 WHERE id = 'prod_longjing'");
  }
});

it.each([
  ['   ', 'must not be blank'],
  ['x'.repeat(51), 'must be at most 50 characters'],
])('answers 400 naming query.q for q=%j', async (q, message) => {
  const res = await api(stack.baseUrl, 'GET', `/api/products?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(400);
  expect(res.body.fields).toEqual([{ path: 'query.q', message }]);
});
