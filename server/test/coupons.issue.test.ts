/**
 * Coupon templates and issuing on MariaDB: the marketer's template API (audited, bounds, stock
 * never below issued), claims that never exceed stock or the per-buyer limit under
 * concurrency, issue() idempotent by (source, sourceRef), a red-envelope issue with its own
 * amount, the claim centre and product coupons with "claimed n / limit", and a wallet no other
 * buyer can read.
 */
import { newId, type CouponTemplateInput } from '@chatmall/shared';
import { AuditLogEntity } from '../src/modules/auth/audit-log.entity';
import { CouponTemplateEntity } from '../src/modules/coupons/coupon-template.entity';
import { CouponEntity } from '../src/modules/coupons/coupon.entity';
import { seedDemoCoupons } from '../src/modules/coupons/seed/demo-coupons';
import { startStack, type TestStack } from './support/harness';
import { api, makeBuyer, makeStaff, type TestBuyer } from './support/people';

let stack: TestStack;
let owner: { id: string; auth: { authorization: string } };
let marketer: { id: string; auth: { authorization: string } };
let clerk: { auth: { authorization: string } };

beforeAll(async () => {
  stack = await startStack();
  owner = await makeStaff(stack.db, 'owner');
  marketer = await makeStaff(stack.db, 'marketer');
  clerk = await makeStaff(stack.db, 'clerk');
}, 60_000);
afterAll(async () => stack?.close());

const design = (over: Partial<CouponTemplateInput> = {}): CouponTemplateInput => ({
  title: '满99减10',
  benefit: { kind: 'amount_off', amountOff: 1000, threshold: 9900 },
  scope: { type: 'shop' },
  validity: { kind: 'days', days: 7 },
  totalStock: 100,
  perBuyerLimit: 1,
  stacksWithMemberDiscount: false,
  claimable: true,
  ...over,
});

/** A published template made through the API, as the marketer would. */
async function published(over: Partial<CouponTemplateInput> = {}): Promise<string> {
  const created = await api(stack.baseUrl, 'POST', '/api/admin/coupon-templates', marketer.auth, design(over));
  expect([created.status, created.body.fields]).toEqual([200, undefined]);
  const pub = await api(stack.baseUrl, 'POST', `/api/admin/coupon-templates/${created.body.id}/publish`, marketer.auth);
  expect(pub.body.status).toBe('PUBLISHED');
  return created.body.id as string;
}

const claim = (b: TestBuyer, templateId: string, requestKey = newId('coupon').slice(4, 30)) =>
  api(stack.baseUrl, 'POST', `/api/coupon-templates/${templateId}/claim`, b.auth, { requestKey });

const template = (id: string) => stack.db.getRepository(CouponTemplateEntity).findOneByOrFail({ id });

describe('demo seed', () => {
  it('the demo seed publishes three claimable coupons into the demo shop once; seeding again keeps a marketer’s change', async () => {
    await seedDemoCoupons(stack.db);
    await api(stack.baseUrl, 'PATCH', '/api/admin/coupon-templates/cpt_demo_full99', owner.auth, {
      title: '满99减10元',
    });
    await seedDemoCoupons(stack.db);
    const b = await makeBuyer(stack.db, 'demo');
    const centre = await api(stack.baseUrl, 'GET', '/api/coupon-centre', b.auth);
    const demo = centre.body.items.filter((i: { templateId: string }) => i.templateId.startsWith('cpt_demo_'));
    expect(demo.map((i: { title: string; benefitText: string }) => [i.title, i.benefitText]).sort()).toEqual([
      ['新客无门槛减5', '无门槛减5 (¥5 off)'],
      ['满99减10元', '满99减10 (¥10 off ¥99+)'],
      ['绿茶9折', '9折 最高减30 (10% off, up to ¥30)'],
    ]);
    const claimed = await claim(b, 'cpt_demo_green90');
    expect(claimed.status).toBe(200);
  });
});

describe('templates', () => {
  it('a marketer creates a draft, edits, publishes and stops it; each step audited; a clerk may not', async () => {
    const res = await api(stack.baseUrl, 'POST', '/api/admin/coupon-templates', marketer.auth, design());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'DRAFT',
      issued: 0,
      used: 0,
      benefitText: '满99减10 (¥10 off ¥99+)',
      validity: { kind: 'days', days: 7 },
    });
    const id = res.body.id as string;
    const edited = await api(stack.baseUrl, 'PATCH', `/api/admin/coupon-templates/${id}`, owner.auth, {
      totalStock: 50,
      scope: { type: 'products', productIds: ['prod_longjing'] },
    });
    expect(edited.body).toMatchObject({ totalStock: 50, scope: { type: 'products', productIds: ['prod_longjing'] } });
    expect((await api(stack.baseUrl, 'POST', `/api/admin/coupon-templates/${id}/stop`, owner.auth)).status).toBe(409);
    await api(stack.baseUrl, 'POST', `/api/admin/coupon-templates/${id}/publish`, owner.auth);
    // Publishing again is a no-op (a double click), not an error.
    const again = await api(stack.baseUrl, 'POST', `/api/admin/coupon-templates/${id}/publish`, owner.auth);
    expect([again.status, again.body.status]).toEqual([200, 'PUBLISHED']);
    const stopped = await api(stack.baseUrl, 'POST', `/api/admin/coupon-templates/${id}/stop`, owner.auth);
    expect(stopped.body).toMatchObject({ status: 'STOPPED', stoppedAt: expect.any(String) });
    expect((await api(stack.baseUrl, 'POST', '/api/admin/coupon-templates', clerk.auth, design())).status).toBe(403);

    const audits = await stack.db
      .getRepository(AuditLogEntity)
      .find({ where: { entityId: id }, order: { createdAt: 'ASC' } });
    expect(audits.map((a) => a.action)).toEqual([
      'coupon_template.create',
      'coupon_template.update',
      'coupon_template.publish',
      'coupon_template.stop',
    ]);
    const list = await api(stack.baseUrl, 'GET', '/api/admin/coupon-templates?status=STOPPED', marketer.auth);
    expect(list.body.items.map((t: { id: string }) => t.id)).toContain(id);
  });

  it('bad input is a 400 naming the field and creates nothing', async () => {
    const before = await stack.db.getRepository(CouponTemplateEntity).count();
    for (const [body, path] of [
      [design({ totalStock: 0 }), 'body.totalStock'],
      [design({ perBuyerLimit: 101 }), 'body.perBuyerLimit'],
      [
        design({ benefit: { kind: 'percent_off', percentOff: 95, maxOff: null, threshold: 0 } }),
        'body.benefit.percentOff',
      ],
      [
        design({ validity: { kind: 'window', from: '2026-12-02T00:00:00Z', until: '2026-12-01T00:00:00Z' } }),
        'body.validity.until',
      ],
      [design({ scope: { type: 'categories', categoryIds: [] } }), 'body.scope.categoryIds'],
    ] as const) {
      const res = await api(stack.baseUrl, 'POST', '/api/admin/coupon-templates', owner.auth, body);
      expect([path, res.status, res.body.fields?.map((f: { path: string }) => f.path)]).toEqual([path, 400, [path]]);
    }
    expect(await stack.db.getRepository(CouponTemplateEntity).count()).toBe(before);
  });

  it('the stock may not go below what is already issued (409 on body.totalStock)', async () => {
    const id = await published({ totalStock: 5, perBuyerLimit: 5 });
    const b = await makeBuyer(stack.db, 'stocky');
    for (let i = 0; i < 3; i++) expect((await claim(b, id)).status).toBe(200);
    const res = await api(stack.baseUrl, 'PATCH', `/api/admin/coupon-templates/${id}`, owner.auth, { totalStock: 2 });
    expect([res.status, res.body.fields]).toEqual([
      409,
      [{ path: 'body.totalStock', message: 'must be at least 3 (already issued)' }],
    ]);
    expect((await template(id)).totalStock).toBe(5);
    const ok = await api(stack.baseUrl, 'PATCH', `/api/admin/coupon-templates/${id}`, owner.auth, { totalStock: 3 });
    expect(ok.body).toMatchObject({ totalStock: 3, issued: 3 });
  });
});

describe('issuing', () => {
  it('50 buyers claiming a coupon of 10 at once: exactly 10 coupons, 40 told it is all gone', async () => {
    const id = await published({ totalStock: 10 });
    const buyers = await Promise.all(Array.from({ length: 50 }, (_, i) => makeBuyer(stack.db, `rush${i}`)));
    const results = await Promise.all(buyers.map((b) => claim(b, id)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(40);
    expect(refused[0].body.message).toBe('已领完 (all gone)');
    expect(await stack.db.getRepository(CouponEntity).countBy({ templateId: id })).toBe(10);
    expect((await template(id)).issued).toBe(10);
  }, 60_000);

  it('one buyer claiming 20 times at once (different taps) gets exactly the per-buyer limit', async () => {
    const id = await published({ perBuyerLimit: 3 });
    const b = await makeBuyer(stack.db, 'greedy');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => claim(b, id, `greedy-tap-${i}`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(17);
    expect(refused[0].body.message).toBe('已达领取上限 (you already hold as many as allowed)');
    expect(await stack.db.getRepository(CouponEntity).countBy({ templateId: id, buyerId: b.id })).toBe(3);
    // The refused ones gave their stock back.
    expect((await template(id)).issued).toBe(3);
  }, 60_000);

  it('a retried claim (same request key, ten at once) claims once', async () => {
    const id = await published({ perBuyerLimit: 5 });
    const b = await makeBuyer(stack.db, 'retrier');
    const results = await Promise.all(Array.from({ length: 10 }, () => claim(b, id, 'same-tap-0001')));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(results.map((r) => r.body.coupon.id)).size).toBe(1);
    expect(results[0].body).toMatchObject({ claimed: 1, perBuyerLimit: 5 });
    expect((await template(id)).issued).toBe(1);
  });

  it('issue() with one sourceRef ten times at once (a retried job) issues once', async () => {
    const id = await published({ claimable: false, perBuyerLimit: 5 });
    const b = await makeBuyer(stack.db, 'welcomed');
    const { coupons } = stack.app.services;
    const req = { templateId: id, buyerId: b.id, source: 'welcome' as const, sourceRef: `${id}:${b.id}` };
    const results = await Promise.all(Array.from({ length: 10 }, () => coupons.issue({}, req)));
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = new Set(results.map((r) => (r.ok ? r.coupon.id : null)));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
    expect((await template(id)).issued).toBe(1);
    // Not claimable: a buyer cannot take it themselves.
    const self = await claim(b, id);
    expect([self.status, self.body.message]).toEqual([409, '该券不能自行领取 (this coupon cannot be claimed)']);
  });

  it('a red-envelope issue carries its own amount; the template gives scope and validity', async () => {
    const id = await published({
      claimable: false,
      scope: { type: 'categories', categoryIds: ['cat_greentea'] },
      validity: { kind: 'days', days: 1 },
    });
    const b = await makeBuyer(stack.db, 'grabber');
    const r = await stack.app.services.coupons.issue(
      {},
      {
        templateId: id,
        buyerId: b.id,
        source: 'red_envelope',
        sourceRef: `rp_test:${b.id}`,
        benefit: { kind: 'amount_off', amountOff: 387, threshold: 3870 },
      },
    );
    expect(r.ok && r.coupon).toMatchObject({
      benefit: { kind: 'amount_off', amountOff: 387, threshold: 3870 },
      benefitText: '满38.70减3.87 (¥3.87 off ¥38.70+)',
      scope: { type: 'categories', categoryIds: ['cat_greentea'] },
      source: 'red_envelope',
    });
    if (!r.ok) throw new Error('not issued');
    expect(Date.parse(r.coupon.validUntil) - Date.parse(r.coupon.validFrom)).toBe(86_400_000);
  });

  it('a stopped template issues nothing, and coupons already held stay usable', async () => {
    const id = await published({ perBuyerLimit: 2 });
    const b = await makeBuyer(stack.db, 'late');
    const first = await claim(b, id);
    await api(stack.baseUrl, 'POST', `/api/admin/coupon-templates/${id}/stop`, owner.auth);
    const second = await claim(b, id);
    expect([second.status, second.body.message]).toEqual([
      409,
      '该券已停止发放 (this coupon is no longer being given out)',
    ]);
    const mine = await api(stack.baseUrl, 'GET', `/api/coupons/${first.body.coupon.id}`, b.auth);
    expect(mine.body.status).toBe('USABLE');
  });

  it('staff give a coupon to a buyer once per request key; an unknown buyer is a 400 on body.buyerId', async () => {
    const id = await published({ claimable: false });
    const b = await makeBuyer(stack.db, 'complained');
    const body = { buyerId: b.id, requestKey: 'makegood-0001' };
    const one = await api(stack.baseUrl, 'POST', `/api/admin/coupon-templates/${id}/issue`, owner.auth, body);
    const two = await api(stack.baseUrl, 'POST', `/api/admin/coupon-templates/${id}/issue`, owner.auth, body);
    expect([one.status, one.body.source, two.body.id]).toEqual([200, 'staff', one.body.id]);
    const nobody = await api(stack.baseUrl, 'POST', `/api/admin/coupon-templates/${id}/issue`, owner.auth, {
      buyerId: 'buyer_nobody',
      requestKey: 'makegood-0002',
    });
    expect([nobody.status, nobody.body.fields]).toEqual([400, [{ path: 'body.buyerId', message: 'no such buyer' }]]);
  });
});

describe('buyer side', () => {
  it('the claim centre lists published claimable coupons in stock with claimed n / limit; product coupons follow scope', async () => {
    const shop = await published({ title: '全店券', perBuyerLimit: 2 });
    const green = await published({ title: '绿茶券', scope: { type: 'categories', categoryIds: ['cat_greentea'] } });
    const other = await published({ title: '单品券', scope: { type: 'products', productIds: ['prod_biluochun'] } });
    const hidden = await published({ title: '不公开', claimable: false });
    const gone = await published({ title: '领完了', totalStock: 1 });
    const b = await makeBuyer(stack.db, 'browser');
    await claim(b, shop);
    await claim(await makeBuyer(stack.db, 'first'), gone);

    const centre = await api(stack.baseUrl, 'GET', '/api/coupon-centre', b.auth);
    const byId = new Map(centre.body.items.map((i: { templateId: string }) => [i.templateId, i]));
    expect(byId.get(shop)).toMatchObject({ claimed: 1, perBuyerLimit: 2, canClaim: true, title: '全店券' });
    expect(byId.has(green)).toBe(true);
    expect(byId.has(hidden)).toBe(false);
    expect(byId.has(gone)).toBe(false);

    const forLongjing = await api(stack.baseUrl, 'GET', '/api/products/prod_longjing/coupons', b.auth);
    const ids = forLongjing.body.items.map((i: { templateId: string }) => i.templateId);
    expect(ids).toEqual(expect.arrayContaining([shop, green]));
    expect(ids).not.toContain(other);
    const forNuts = await api(stack.baseUrl, 'GET', '/api/products/prod_nope/coupons', b.auth);
    expect(forNuts.body.items).toEqual([]);
  });

  it('the wallet shows usable, used and expired coupons with source; another buyer reads none of them', async () => {
    const id = await published({ title: '钱包券' });
    const alice = await makeBuyer(stack.db, 'alice');
    const bob = await makeBuyer(stack.db, 'bob');
    const claimed = await claim(alice, id);
    const couponId = claimed.body.coupon.id as string;
    const wallet = await api(stack.baseUrl, 'GET', '/api/coupons?tab=usable', alice.auth);
    expect(wallet.body.items).toEqual([
      expect.objectContaining({ id: couponId, status: 'USABLE', source: 'claim', title: '钱包券' }),
    ]);
    expect(wallet.body.counts).toEqual({ usable: 1, used: 0, expired: 0 });

    // Past its end it reads expired at once, before the expiry job runs.
    await stack.db.getRepository(CouponEntity).update({ id: couponId }, { validUntil: new Date(Date.now() - 1000) });
    const later = await api(stack.baseUrl, 'GET', '/api/coupons?tab=expired', alice.auth);
    expect(later.body.items.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      [couponId, 'EXPIRED'],
    ]);
    expect(later.body.counts).toEqual({ usable: 0, used: 0, expired: 1 });

    expect((await api(stack.baseUrl, 'GET', `/api/coupons/${couponId}`, bob.auth)).status).toBe(404);
    expect((await api(stack.baseUrl, 'GET', '/api/coupons?tab=expired', bob.auth)).body.items).toEqual([]);
  });

  it('the wallet pages through many coupons in order without repeats', async () => {
    const id = await published({ perBuyerLimit: 7 });
    const b = await makeBuyer(stack.db, 'collector');
    for (let i = 0; i < 7; i++) await claim(b, id, `collect-${i}-abcdef`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await api(stack.baseUrl, 'GET', `/api/coupons?tab=usable&limit=3${q}`, b.auth);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });
});
