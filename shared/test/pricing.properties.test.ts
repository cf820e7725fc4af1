import fc from 'fast-check';
import {
  CheckoutPrice,
  priceCheckout,
  type CheckoutInput,
  type CheckoutLine,
  type CouponBenefit,
  type CouponScope,
  type UsableCoupon,
} from '../src/pricing';

const now = new Date('2026-11-30T12:00:00.000Z');
const DAY = 86_400_000;
const products = ['p1', 'p2', 'p3', 'p4'];
const categories = ['c1', 'c2', 'c3'];

const lineArb: fc.Arbitrary<CheckoutLine> = fc.record({
  skuId: fc.string({ minLength: 1, maxLength: 4 }),
  productId: fc.constantFrom(...products),
  categoryId: fc.option(fc.constantFrom(...categories), { nil: null }),
  // Small prices as well as large ones, so thresholds and rounding are hit often.
  unitPrice: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 60_000 })),
  quantity: fc.integer({ min: 1, max: 5 }),
  memberDiscount: fc.option(fc.boolean(), { nil: undefined }),
});

const benefitArb: fc.Arbitrary<CouponBenefit> = fc.oneof(
  fc.record({
    kind: fc.constant('amount_off' as const),
    amountOff: fc.integer({ min: 1, max: 20_000 }),
    threshold: fc.integer({ min: 1, max: 60_000 }),
  }),
  fc.record({ kind: fc.constant('no_threshold' as const), amountOff: fc.integer({ min: 1, max: 5_000 }) }),
  fc.record({
    kind: fc.constant('percent_off' as const),
    percentOff: fc.integer({ min: 1, max: 90 }),
    maxOff: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }),
    threshold: fc.integer({ min: 0, max: 30_000 }),
  }),
);

const scopeArb: fc.Arbitrary<CouponScope> = fc.oneof(
  fc.constant({ type: 'shop' as const }),
  fc.record({
    type: fc.constant('products' as const),
    productIds: fc.uniqueArray(fc.constantFrom(...products), { minLength: 1 }),
  }),
  fc.record({
    type: fc.constant('categories' as const),
    categoryIds: fc.uniqueArray(fc.constantFrom(...categories), { minLength: 1 }),
  }),
);

const couponsArb: fc.Arbitrary<UsableCoupon[]> = fc
  .array(
    fc.record({
      benefit: benefitArb,
      scope: scopeArb,
      stacksWithMemberDiscount: fc.boolean(),
      // Mostly valid now; some not yet, some expired; a few expiring at the same instant.
      startsInDays: fc.integer({ min: -6, max: 1 }),
      lastsDays: fc.integer({ min: 1, max: 14 }),
    }),
    { maxLength: 6 },
  )
  .map((cs) =>
    cs.map(({ startsInDays, lastsDays, ...c }, i) => ({
      id: `cpn_${i}`,
      ...c,
      validFrom: new Date(now.getTime() + startsInDays * DAY).toISOString(),
      validUntil: new Date(now.getTime() + (startsInDays + lastsDays) * DAY).toISOString(),
    })),
  );

const inputArb: fc.Arbitrary<CheckoutInput> = fc.record({
  lines: fc.array(lineArb, { minLength: 0, maxLength: 6 }),
  shipping: fc.record({
    flatFee: fc.integer({ min: 0, max: 2_000 }),
    freeOver: fc.option(fc.integer({ min: 1, max: 50_000 }), { nil: null }),
  }),
  member: fc.option(
    fc.record({
      level: fc.option(
        fc.record({
          levelName: fc.constantFrom('银卡', '金卡'),
          discountPercent: fc.integer({ min: 0, max: 30 }),
          freeShipping: fc.boolean(),
        }),
        { nil: null },
      ),
      points: fc.integer({ min: 0, max: 200_000 }),
      balance: fc.integer({ min: 0, max: 100_000 }),
    }),
    { nil: null },
  ),
  pointsRule: fc.option(
    fc.record({
      points: fc.integer({ min: 1, max: 1_000 }),
      fen: fc.integer({ min: 1, max: 1_000 }),
      maxSharePercent: fc.integer({ min: 0, max: 100 }),
    }),
    { nil: null },
  ),
  coupons: couponsArb,
  now: fc.constant(now),
  choice: fc.record({
    coupon: fc.constantFrom('best' as const, 'none' as const),
    points: fc.oneof(fc.constant('max' as const), fc.integer({ min: 0, max: 300_000 })),
    useBalance: fc.boolean(),
  }),
});

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

function priced(input: CheckoutInput) {
  const result = priceCheckout(input);
  if (!result.ok) throw new Error(`best and none are never refused: ${result.refusal.message}`);
  return result.price;
}

describe('checkout pricing properties (fast-check)', () => {
  it('payable is never negative, the payment parts add up to the order total, the steps add up to WeChat Pay', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const p = priced(input);
        expect(CheckoutPrice.safeParse(p).success).toBe(true);
        for (const n of [p.payable, p.goodsTotal, p.orderTotal, ...Object.values(p.payment)])
          expect(n).toBeGreaterThanOrEqual(0);
        expect(p.payment.pointsFen + p.payment.balance + p.payment.wechat).toBe(p.orderTotal);
        expect(p.payable).toBe(p.orderTotal);
        expect(p.orderTotal).toBe(p.goodsTotal + p.shippingFee);
        expect(p.goodsTotal).toBe(p.itemsTotal - p.memberDiscount - p.couponDiscount);
        const wechat = p.steps[p.steps.length - 1];
        expect(wechat).toMatchObject({ kind: 'wechat_pay', amount: p.payment.wechat });
        expect(sum(p.steps.slice(0, -1).map((s) => s.amount))).toBe(wechat.amount);
        // Points stay within what the member holds and the programme's share of the goods.
        expect(p.payment.points).toBeLessThanOrEqual(input.member?.points ?? 0);
        if (input.pointsRule)
          expect(p.payment.pointsFen * 100).toBeLessThanOrEqual(p.goodsTotal * input.pointsRule.maxSharePercent);
        expect(p.payment.balance).toBeLessThanOrEqual(input.member?.balance ?? 0);
      }),
      { numRuns: 500 },
    );
  });

  it('each discount is spread over the lines exactly, and no line pays less than nothing', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const p = priced(input);
        expect(sum(p.lines.map((l) => l.memberDiscount))).toBe(p.memberDiscount);
        expect(sum(p.lines.map((l) => l.couponDiscount))).toBe(p.couponDiscount);
        expect(sum(p.lines.map((l) => l.goodsPaid))).toBe(p.goodsTotal);
        for (const l of p.lines) {
          expect(l.goodsPaid).toBeGreaterThanOrEqual(0);
          expect(l.goodsPaid).toBe(l.lineTotal - l.memberDiscount - l.couponDiscount);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the best choice is never worse than no coupon or any other applicable coupon the buyer could pick', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const best = priced({ ...input, choice: { ...input.choice, coupon: 'best' } });
        const none = priced({ ...input, choice: { ...input.choice, coupon: 'none' } });
        expect(best.orderTotal).toBeLessThanOrEqual(none.orderTotal);
        for (const verdict of best.coupons) {
          const picked = priceCheckout({
            ...input,
            choice: { ...input.choice, coupon: { couponId: verdict.couponId } },
          });
          expect(picked.ok).toBe(verdict.applicable);
          if (!picked.ok) {
            expect(picked.refusal).toEqual(verdict.refusal);
            continue;
          }
          expect(picked.price.orderTotal).toBe(verdict.orderTotal);
          expect(best.orderTotal).toBeLessThanOrEqual(picked.price.orderTotal);
        }
      }),
      { numRuns: 300 },
    );
  });
});
