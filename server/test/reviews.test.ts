/**
 * Reviews: open once receipt is confirmed (409 before; 404 for a line that is not the
 * buyer's), one per order line under concurrency (one 2xx, the rest 409), edited once within
 * 7 days, photos only the buyer's own uploads; the merchant replies and hides (audited), and
 * the product's rating aggregate follows — on the product's reviews page and in product lists.
 */
import { AuditLogEntity } from '../src/modules/auth/audit-log.entity';
import { getJson } from './support/harness';
import { api, makeBuyer, makeStaff, type TestBuyer } from './support/people';
import { startPayStack, waitFor, type PayStack } from './support/pay-stack';
import { OrderEntity } from '../src/modules/orders/order.entity';

jest.setTimeout(60_000);
let p: PayStack;
let owner: { auth: { authorization: string } };
let marketer: { auth: { authorization: string } };
let clerk: { auth: { authorization: string } };
beforeAll(async () => {
  p = await startPayStack();
  owner = await makeStaff(p.stack.db, 'owner');
  marketer = await makeStaff(p.stack.db, 'marketer');
  clerk = await makeStaff(p.stack.db, 'clerk');
}, 60_000);
afterAll(async () => p?.close());

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
let n = 0;
/** A paid order, optionally shipped and received. */
async function order(skuId: string, opts: { received?: boolean } = {}) {
  const placed = await api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
    clientKey: `review-${++n}-${Date.now()}`,
    items: [{ skuId, quantity: 1 }],
    addressId: p.buyer.addressId,
  });
  const pay = await api(p.apiUrl, 'POST', `/api/orders/${placed.body.id}/pay`, p.buyer.auth);
  await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`);
  await waitFor(
    () => p.stack.db.getRepository(OrderEntity).findOneByOrFail({ id: placed.body.id }),
    (o) => o.status === 'PAID',
  );
  if (opts.received) {
    expect(
      (
        await api(p.apiUrl, 'POST', `/api/admin/orders/${placed.body.id}/ship`, owner.auth, {
          carrier: '顺丰',
          trackingNo: 'SF1234567890',
        })
      ).status,
    ).toBe(200);
    expect((await api(p.apiUrl, 'POST', `/api/orders/${placed.body.id}/confirm-receipt`, p.buyer.auth)).status).toBe(
      200,
    );
  }
  return placed.body as { id: string; lines: { id: string; productId: string }[] };
}
const review = (body: unknown, who: TestBuyer = p.buyer) => api(p.apiUrl, 'POST', '/api/reviews', who.auth, body);
async function upload(who: TestBuyer, extra: number): Promise<string> {
  const res = await getJson(`${p.apiUrl}/api/media`, {
    method: 'POST',
    headers: { ...who.auth, 'content-type': 'image/png' },
    body: Buffer.concat([PNG, Buffer.from([extra])]),
  });
  return res.body.url as string;
}

it('answers 404 for a line that is not the buyer’s and 409 before receipt', async () => {
  const unreceived = await order('sku_dianhong1');
  const early = await review({ orderLineId: unreceived.lines[0].id, rating: 5, content: '还没到' });
  expect(early.status).toBe(409);
  expect(early.body.code).toBe('ORDER_STATE');

  const received = await order('sku_dianhong1', { received: true });
  const stranger = await makeBuyer(p.stack.db, 'stranger');
  const notTheirs = await review({ orderLineId: received.lines[0].id, rating: 1, content: '差评' }, stranger);
  expect(notTheirs.status).toBe(404);
  expect((await review({ orderLineId: 'line_nope', rating: 3 })).status).toBe(404);
  const bad = await review({ orderLineId: received.lines[0].id, rating: 6, content: 'x'.repeat(501) });
  expect(bad.status).toBe(400);
  expect(bad.body.fields.map((f: { path: string }) => f.path)).toEqual(['body.rating', 'body.content']);
  const rows = await p.stack.db.query('SELECT COUNT(*) AS n FROM reviews');
  expect(Number(rows[0].n)).toBe(0);
});

it('one review per order line under concurrency: one 2xx, the rest 409, and the rating counts it once', async () => {
  const o = await order('sku_qimen1', { received: true });
  const attempts = await Promise.all(
    [5, 4, 3, 2, 1, 5].map((rating) => review({ orderLineId: o.lines[0].id, rating, content: '回甘好' })),
  );
  const statuses = attempts.map((a) => a.status).sort();
  expect(statuses).toEqual([200, 409, 409, 409, 409, 409]);
  const won = attempts.find((a) => a.status === 200)!.body;
  const page = await api(p.apiUrl, 'GET', `/api/products/${o.lines[0].productId}/reviews`);
  expect(page.body.rating).toEqual({ average: won.rating, count: 1, withPhotos: 0 });
  expect(page.body.items.map((r: { id: string }) => r.id)).toEqual([won.id]);
  expect(page.body.items[0].displayName).toBe('匿名买家');
});

it('edits once within 7 days (a second edit, or one after 7 days, is 409) and the rating follows the edit', async () => {
  const o = await order('sku_lapsang1', { received: true });
  const mine = await review({ orderLineId: o.lines[0].id, rating: 2, content: '烟味太重', displayName: '茶友小林' });
  expect(mine.status).toBe(200);
  expect(mine.body.editableUntil).toBeTruthy();
  const photo = await upload(p.buyer, 1);
  const edited = await api(p.apiUrl, 'PATCH', `/api/reviews/${mine.body.id}`, p.buyer.auth, {
    rating: 4,
    content: '第二泡就好了',
    photos: [photo],
    displayName: '茶友小林',
  });
  expect(edited.status).toBe(200);
  expect(edited.body).toMatchObject({ rating: 4, edited: true, editableUntil: null, photos: [photo] });
  const again = await api(p.apiUrl, 'PATCH', `/api/reviews/${mine.body.id}`, p.buyer.auth, { rating: 5 });
  expect(again.status).toBe(409);
  const rating = (await api(p.apiUrl, 'GET', `/api/products/${o.lines[0].productId}/reviews`)).body.rating;
  expect(rating).toEqual({ average: 4, count: 1, withPhotos: 1 });

  // Eight days later, an unedited review can no longer be edited.
  const later = await order('sku_lapsang1', { received: true });
  const old = await review({ orderLineId: later.lines[0].id, rating: 3 });
  await p.stack.db.query('UPDATE reviews SET created_at = ? WHERE id = ?', [
    new Date(Date.now() - 8 * 24 * 3600_000),
    old.body.id,
  ]);
  const late = await api(p.apiUrl, 'PATCH', `/api/reviews/${old.body.id}`, p.buyer.auth, { rating: 5 });
  expect(late.status).toBe(409);
  // Someone else's review: 404.
  const stranger = await makeBuyer(p.stack.db, 'stranger2');
  expect((await api(p.apiUrl, 'PATCH', `/api/reviews/${mine.body.id}`, stranger.auth, { rating: 1 })).status).toBe(404);
});

it('takes only the buyer’s own uploads as photos, and filters 有图', async () => {
  const o = await order('sku_jasmine1', { received: true });
  const stranger = await makeBuyer(p.stack.db, 'stranger3');
  const theirs = await upload(stranger, 2);
  const refused = await review({ orderLineId: o.lines[0].id, rating: 5, photos: [theirs] });
  expect(refused.status).toBe(400);
  expect(refused.body.fields[0].path).toBe('body.photos.0');
  const a = await upload(p.buyer, 3);
  const b = await upload(p.buyer, 4);
  expect((await review({ orderLineId: o.lines[0].id, rating: 5, content: '好香', photos: [a, b] })).status).toBe(200);
  const plain = await order('sku_jasmine1', { received: true });
  expect((await review({ orderLineId: plain.lines[0].id, rating: 4, content: '不错' })).status).toBe(200);
  const productId = o.lines[0].productId;
  const all = await api(p.apiUrl, 'GET', `/api/products/${productId}/reviews`);
  expect(all.body.items).toHaveLength(2);
  const withPhotos = await api(p.apiUrl, 'GET', `/api/products/${productId}/reviews?photos=1`);
  expect(withPhotos.body.items.map((r: { photos: string[] }) => r.photos)).toEqual([[a, b]]);
  expect(withPhotos.body.rating).toEqual({ average: 4.5, count: 2, withPhotos: 1 });
  // The product list shows the rating where there is one.
  const list = await api(p.apiUrl, 'GET', `/api/products?q=${encodeURIComponent('茉莉')}`);
  const card = list.body.items.find((x: { id: string }) => x.id === productId);
  expect(card.rating).toEqual({ average: 4.5, count: 2 });
});

it('the merchant replies and hides (audited; owner or marketer, not clerk); hiding leaves the page and the rating', async () => {
  const o = await order('sku_tieguanyin1', { received: true });
  const mine = await review({ orderLineId: o.lines[0].id, rating: 1, content: '<script>alert(1)</script>' });
  expect(mine.body.content).toBe('<script>alert(1)</script>'); // stored as text; the storefront renders it escaped
  const productId = o.lines[0].productId;
  const reply = await api(p.apiUrl, 'POST', `/api/admin/reviews/${mine.body.id}/reply`, marketer.auth, {
    reply: '抱歉，已为您补发 Sorry, we sent another',
  });
  expect(reply.status).toBe(200);
  expect(
    (await api(p.apiUrl, 'POST', `/api/admin/reviews/${mine.body.id}/reply`, owner.auth, { reply: 'x'.repeat(501) }))
      .status,
  ).toBe(400);
  expect((await api(p.apiUrl, 'POST', `/api/admin/reviews/${mine.body.id}/hide`, clerk.auth, {})).status).toBe(403);
  const shown = await api(p.apiUrl, 'GET', `/api/products/${productId}/reviews`);
  expect(shown.body.items[0].reply).toBe('抱歉，已为您补发 Sorry, we sent another');
  expect(shown.body.rating.count).toBe(1);

  const hidden = await api(p.apiUrl, 'POST', `/api/admin/reviews/${mine.body.id}/hide`, owner.auth, {
    reason: '广告 Spam',
  });
  expect(hidden.status).toBe(200);
  expect(hidden.body.hidden).toBe(true);
  // Hiding twice moves nothing and audits nothing more.
  await api(p.apiUrl, 'POST', `/api/admin/reviews/${mine.body.id}/hide`, owner.auth, {});
  const after = await api(p.apiUrl, 'GET', `/api/products/${productId}/reviews`);
  expect(after.body.items).toEqual([]);
  expect(after.body.rating).toEqual({ average: 0, count: 0, withPhotos: 0 });
  const audits = await p.stack.db.getRepository(AuditLogEntity).findBy({ entity: 'review', entityId: mine.body.id });
  expect(audits.map((a) => a.action).sort()).toEqual(['review.hide', 'review.reply']);
  expect(audits.find((a) => a.action === 'review.hide')!.detail).toMatchObject({ reason: '广告 Spam' });
  const adminList = await api(p.apiUrl, 'GET', `/api/admin/reviews?productId=${productId}&hidden=1`, owner.auth);
  expect(adminList.body.items.map((r: { id: string }) => r.id)).toEqual([mine.body.id]);

  expect((await api(p.apiUrl, 'POST', `/api/admin/reviews/${mine.body.id}/unhide`, owner.auth)).status).toBe(200);
  expect((await api(p.apiUrl, 'GET', `/api/products/${productId}/reviews`)).body.rating.count).toBe(1);
  // The buyer's own view of the order's reviews.
  const own = await api(p.apiUrl, 'GET', `/api/orders/${o.id}/reviews`, p.buyer.auth);
  expect(own.body.items.map((r: { orderLineId: string }) => r.orderLineId)).toEqual([o.lines[0].id]);
});
