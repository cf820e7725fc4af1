/**
 * The marketing forms' values → the contract's request bodies: yuan to integer fen exactly, 折
 * to percent off, China wall-clock windows to instants (and back, unchanged), problems on the
 * fields that show them, and the pack's budget check as typed.
 */
import type { CouponTemplate } from '@chatmall/shared';
import dayjs from 'dayjs';
import {
  blankCoupon,
  couponField,
  couponValuesOf,
  createCouponBody,
  percentOffOf,
  updateCouponBody,
  type CouponFormValues,
} from '../src/pages/marketing/coupon-form';
import { chinaInstant, chinaPicker, inYuan, maskedId } from '../src/pages/marketing/marketing-text';
import { blankPack, budgetCheck, createPackBody, packField } from '../src/pages/marketing/red-envelope-form';

const coupon = (over: Partial<CouponFormValues> = {}): CouponFormValues => ({
  ...blankCoupon(),
  title: '中秋满减',
  threshold: '99',
  amountOff: '10',
  ...over,
});
const paths = (problems: { path: (string | number)[] }[]) => problems.map((p) => p.path.join('.'));

describe('coupon template form', () => {
  it('builds 满99减10 in fen, whole shop, 7 days', () => {
    const { body, problems } = createCouponBody(coupon());
    expect(problems).toEqual([]);
    expect(body).toEqual({
      title: '中秋满减',
      benefit: { kind: 'amount_off', amountOff: 1000, threshold: 9900 },
      scope: { type: 'shop' },
      validity: { kind: 'days', days: 7 },
      totalStock: 1000,
      perBuyerLimit: 1,
      stacksWithMemberDiscount: true,
      claimable: true,
    });
  });

  it('puts every problem on its own field, the typed one first', () => {
    const blank = createCouponBody({ ...blankCoupon() });
    expect(blank.body).toBeUndefined();
    expect(paths(blank.problems)).toEqual(expect.arrayContaining(['title', 'threshold', 'amountOff']));
    expect(blank.problems.find((p) => p.path[0] === 'amountOff')!.message).toBe('is required');

    const bad = createCouponBody(coupon({ threshold: '9.999', perBuyerLimit: '101', totalStock: '1.5' }));
    expect(bad.problems.find((p) => p.path[0] === 'threshold')!.message).toMatch(/amount in yuan/);
    expect(bad.problems.find((p) => p.path[0] === 'perBuyerLimit')!.message).toBe('must be at most 100');
    expect(bad.problems.find((p) => p.path[0] === 'totalStock')!.message).toBe('must be a whole number');

    const noProducts = createCouponBody(coupon({ scopeType: 'products', productIds: [] }));
    expect(noProducts.problems).toEqual([{ path: ['productIds'], message: 'must name at least one' }]);
  });

  it('reads 折 as percent off; a cap left empty is none', () => {
    expect(percentOffOf('8')).toBe(20);
    expect(percentOffOf('8.5')).toBe(15);
    expect(percentOffOf('9.9')).toBe(1);
    for (const bad of ['8.25', '10', '0.5', 'x', '']) expect(percentOffOf(bad)).toBeNaN();
    const { body } = createCouponBody(coupon({ kind: 'percent_off', zhe: '8.5', threshold: '', maxOff: '' }));
    expect(body?.benefit).toEqual({ kind: 'percent_off', percentOff: 15, maxOff: null, threshold: 0 });
    const capped = createCouponBody(coupon({ kind: 'percent_off', zhe: '9', threshold: '50', maxOff: '20' }));
    expect(capped.body?.benefit).toEqual({ kind: 'percent_off', percentOff: 10, maxOff: 2000, threshold: 5000 });
    const refused = createCouponBody(coupon({ kind: 'percent_off', zhe: '8.25' }));
    expect(paths(refused.problems)).toEqual(['zhe']);
  });

  it('a fixed window is China wall-clock time; its end must be after its start', () => {
    const from = dayjs(new Date(2026, 9, 1, 0, 0));
    const until = dayjs(new Date(2026, 9, 7, 23, 59));
    const { body } = createCouponBody(coupon({ validityKind: 'window', window: [from, until] }));
    expect(body?.validity).toEqual({
      kind: 'window',
      from: '2026-10-01T00:00:00+08:00',
      until: '2026-10-07T23:59:00+08:00',
    });
    expect(Date.parse('2026-10-01T00:00:00+08:00')).toBe(Date.parse('2026-09-30T16:00:00Z'));
    const backwards = createCouponBody(coupon({ validityKind: 'window', window: [until, from] }));
    expect(backwards.problems).toEqual([{ path: ['window'], message: 'must be after from' }]);
    // Shown again from the stored UTC instant, it reads the same wall-clock time.
    expect(chinaInstant(chinaPicker('2026-09-30T16:00:00.000Z'))).toBe('2026-10-01T00:00:00+08:00');
  });

  it('a new window starts now in China time and ends 30 days on', () => {
    const [from, until] = blankCoupon().window!;
    const now = Date.now();
    expect(Math.abs(Date.parse(chinaInstant(from)) - now)).toBeLessThan(60_000);
    expect(chinaInstant(until)).toMatch(/T23:59:00\+08:00$/);
  });

  it('an edit sends only what changed; a saved window read back is no change', () => {
    const saved: CouponTemplate = {
      id: 'cpt_1',
      title: '国庆券',
      benefit: { kind: 'amount_off', amountOff: 500, threshold: 5000 },
      benefitText: '满50减5 (¥5 off ¥50+)',
      scope: { type: 'categories', categoryIds: ['cat_green'] },
      validity: { kind: 'window', from: '2026-09-30T16:00:00.000Z', until: '2026-10-07T15:59:00.000Z' },
      totalStock: 100,
      perBuyerLimit: 1,
      stacksWithMemberDiscount: false,
      claimable: true,
      status: 'PUBLISHED',
      issued: 3,
      used: 1,
      createdAt: '2026-09-01T00:00:00.000Z',
      updatedAt: '2026-09-01T00:00:00.000Z',
      publishedAt: '2026-09-01T00:00:00.000Z',
      stoppedAt: null,
      origin: null,
    };
    const values = couponValuesOf(saved);
    expect(values).toMatchObject({ threshold: '50', amountOff: '5', scopeType: 'categories', validityKind: 'window' });
    expect(updateCouponBody(values, saved)).toEqual({ problems: [], unchanged: true });
    expect(updateCouponBody({ ...values, totalStock: '200', amountOff: '6' }, saved)).toEqual({
      body: { benefit: { kind: 'amount_off', amountOff: 600, threshold: 5000 }, totalStock: 200 },
      problems: [],
    });
  });

  it('maps schema and server paths onto the fields', () => {
    expect(couponField(['benefit', 'threshold'])).toEqual(['threshold']);
    expect(couponField(['benefit', 'percentOff'])).toEqual(['zhe']);
    expect(couponField(['benefit'])).toEqual(['kind']);
    expect(couponField(['scope', 'productIds', 3])).toEqual(['productIds']);
    expect(couponField(['validity', 'until'])).toEqual(['window']);
    expect(couponField(['totalStock'])).toEqual(['totalStock']);
  });
});

describe('red-envelope pack form', () => {
  const pack = (over = {}) => ({ ...blankPack(), title: '店庆红包', budget: '100', shares: '10', ...over });

  it('builds ¥100 in 10 shares in fen, 24 h by default', () => {
    const { body, problems } = createPackBody(pack({ minimumShare: '1' }));
    expect(problems).toEqual([]);
    expect(body).toMatchObject({
      title: '店庆红包',
      imageUrl: null,
      budget: 10_000,
      shares: 10,
      split: 'random',
      minimumShare: 100,
      groupOnly: true,
      newBuyersOnly: false,
      expiresInHours: 24,
      coupon: { title: '群红包券', threshold: { kind: 'multiple', multiple: 5 }, scope: { type: 'shop' } },
    });
    const fixed = createPackBody(pack({ thresholdKind: 'fixed', fixedThreshold: '59.9' }));
    expect(fixed.body?.coupon.threshold).toEqual({ kind: 'fixed', threshold: 5990 });
  });

  it('refuses a budget below shares × minimum on the budget field, in yuan', () => {
    const { problems } = createPackBody(pack({ minimumShare: '20' }));
    expect(problems).toEqual([{ path: ['budget'], message: 'must be at least shares × minimumShare (¥200.00)' }]);
    // An unreadable count is its own problem, not a budget one.
    const unreadable = createPackBody(pack({ shares: 'ten' }));
    expect(unreadable.problems).toEqual([{ path: ['shares'], message: 'must be a whole number' }]);
  });

  it('checks the budget as it is typed', () => {
    expect(budgetCheck(pack({ minimumShare: '20' }))).toMatchObject({ ok: false });
    expect(budgetCheck(pack({ minimumShare: '20' }))!.text).toContain('¥200.00');
    expect(budgetCheck(pack({ minimumShare: '1' }))).toEqual({
      ok: true,
      text: expect.stringContaining('平均每份 ¥10.00，随机在 ¥1.00 到 ¥20.00 之间'),
    });
    expect(budgetCheck(pack({ minimumShare: '1', split: 'equal' }))!.text).toContain('每份约 ¥10.00');
    expect(budgetCheck(pack({ budget: '' }))).toBeNull();
  });

  it('maps the coupon design paths onto the fields', () => {
    expect(packField(['coupon', 'threshold', 'multiple'])).toEqual(['multiple']);
    expect(packField(['coupon', 'threshold', 'threshold'])).toEqual(['fixedThreshold']);
    expect(packField(['coupon', 'scope', 'categoryIds'])).toEqual(['categoryIds']);
    expect(packField(['coupon', 'validity', 'days'])).toEqual(['days']);
    expect(packField(['coupon', 'title'])).toEqual(['couponTitle']);
    expect(packField(['budget'])).toEqual(['budget']);
  });
});

it('reads fen in schema messages as yuan, and masks buyer ids', () => {
  expect(inYuan('must be at most 9999999 fen')).toBe('must be at most ¥99,999.99');
  expect(maskedId('buyer_01jx3k4m5n6p7q8r')).toBe('buyer_01…7q8r');
});
