/**
 * The merchant's review list filters: by stars, with or without photos, hidden or not, each
 * alone and together, across pages; only owners and marketers may list.
 */
import { newId } from '@chatmall/shared';
import { ReviewEntity } from '../src/modules/reviews/review.entity';
import { startStack, type TestStack } from './support/harness';
import { api, makeStaff } from './support/people';

let stack: TestStack;
let marketer: { auth: { authorization: string } };
const ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  marketer = await makeStaff(stack.db, 'marketer');
  const rows: [string, number, boolean, boolean][] = [
    // name, rating, photos, hidden
    ['fiveWithPhotos', 5, true, false],
    ['fivePlain', 5, false, false],
    ['oneWithPhotos', 1, true, false],
    ['oneHiddenWithPhotos', 1, true, true],
    ['threePlain', 3, false, false],
  ];
  for (const [name, rating, photos, hidden] of rows) {
    const id = newId('review');
    ids[name] = id;
    await stack.db.getRepository(ReviewEntity).insert({
      id,
      orderLineId: newId('orderLine'),
      orderId: newId('order'),
      buyerId: newId('buyer'),
      productId: 'prod_test_reviews',
      skuId: 'sku_test_reviews',
      spec: '50g',
      rating,
      content: `${name} 评价`,
      photos: photos ? ['/media/buyer/a.png'] : [],
      hasPhotos: photos,
      displayName: null,
      hidden,
      hiddenAt: hidden ? new Date() : null,
      reply: null,
      repliedAt: null,
      editCount: 0,
      editedAt: null,
    });
  }
}, 60_000);
afterAll(async () => stack?.close());

async function list(query: string): Promise<string[]> {
  const res = await api(stack.baseUrl, 'GET', `/api/admin/reviews?productId=prod_test_reviews&${query}`, marketer.auth);
  expect(res.status).toBe(200);
  const names = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  return (res.body.items as { id: string }[]).map((r) => names[r.id]).sort();
}

it('filters by stars, by photos and by hidden, alone and together', async () => {
  expect(await list('rating=5')).toEqual(['fivePlain', 'fiveWithPhotos']);
  expect(await list('photos=1')).toEqual(['fiveWithPhotos', 'oneHiddenWithPhotos', 'oneWithPhotos']);
  expect(await list('photos=0')).toEqual(['fivePlain', 'threePlain']);
  expect(await list('rating=1&photos=1')).toEqual(['oneHiddenWithPhotos', 'oneWithPhotos']);
  expect(await list('rating=1&photos=1&hidden=0')).toEqual(['oneWithPhotos']);
  expect(await list('rating=2')).toEqual([]);
  expect(await list('')).toHaveLength(5);
});

it('pages through a filtered list without repeats', async () => {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const q: string = `photos=1&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await api(stack.baseUrl, 'GET', `/api/admin/reviews?productId=prod_test_reviews&${q}`, marketer.auth);
    seen.push(...(res.body.items as { id: string }[]).map((r) => r.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  expect(seen).toHaveLength(3);
  expect(new Set(seen).size).toBe(3);
});

it('refuses a rating outside 1–5 and a clerk', async () => {
  expect((await api(stack.baseUrl, 'GET', '/api/admin/reviews?rating=6', marketer.auth)).status).toBe(400);
  expect((await api(stack.baseUrl, 'GET', '/api/admin/reviews?photos=yes', marketer.auth)).status).toBe(400);
  const clerk = await makeStaff(stack.db, 'clerk');
  expect((await api(stack.baseUrl, 'GET', '/api/admin/reviews?rating=5', clerk.auth)).status).toBe(403);
});
