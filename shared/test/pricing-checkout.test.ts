import {
  allocate,
  CheckoutPrice,
  CouponBenefit,
  couponTitle,
  defaultShippingRule,
  priceCheckout,
  priceOrder,
  UsableCoupon,
  type CheckoutInput,
  type CheckoutLine,
  type CheckoutPrice as Price,
  type LevelBenefits,
} from '../src/pricing';

const now = new Date('2026-11-30T12:00:00.000Z');

function line(productId: string, unitPrice: number, quantity = 1, more: Partial<CheckoutLine> = {}): CheckoutLine {
  return { skuId: `sku_${productId}`, productId, categoryId: 'cat_food', unitPrice, quantity, ...more };
}

let seq = 0;
function coupon(benefit: CouponBenefit, more: Partial<UsableCoupon> = {}): UsableCoupon {
  seq += 1;
  return {
    id: `cpn_${seq}`,
    benefit,
    scope: { type: 'shop' },
    stacksWithMemberDiscount: true,
    validFrom: '2026-11-01T00:00:00.000Z',
    validUntil: '2026-12-31T00:00:00.000Z',
    ...more,
  };
}
const off = (amountOff: number, threshold: number): CouponBenefit => ({ kind: 'amount_off', amountOff, threshold });

const gold: LevelBenefits = { levelName: '金卡', discountPercent: 10, freeShipping: false };
const noShipping = { flatFee: 0, freeOver: null };

function price(input: Partial<CheckoutInput> & Pick<CheckoutInput, 'lines'>): Price {
  const result = priceCheckout({ shipping: noShipping, now, ...input });
  if (!result.ok) throw new Error(`refused: ${result.refusal.message}`);
  // Every answer has the shape the wire schema promises.
  expect(CheckoutPrice.parse(result.price)).toEqual(result.price);
  return result.price;
}

const kinds = (p: Price) => p.steps.map((s) => [s.kind, s.amount]);

describe('checkout pricing: the steps in DESIGN.md order', () => {
  it('without membership or coupons: items, shipping, WeChat Pay, the same total as priceOrder', () => {
    const lines = [line('p1', 6800), line('p2', 1290, 2)];
    const p = price({ lines, shipping: defaultShippingRule });
    expect(kinds(p)).toEqual([
      ['items', 9380],
      ['shipping', 1000],
      ['wechat_pay', 10380],
    ]);
    expect(p.payable).toBe(priceOrder(lines, defaultShippingRule).payable);
    expect(p.payment).toEqual({ points: 0, pointsFen: 0, balance: 0, wechat: 10380 });
    expect(p.coupon).toBeNull();
  });

  it('takes the level’s percent off eligible lines only, rounded down, spread over those lines', () => {
    const lines = [line('p1', 3333), line('p2', 3333), line('p3', 5000, 1, { memberDiscount: false })];
    const p = price({ lines, member: { level: gold, points: 0, balance: 0 } });
    expect(p.memberDiscount).toBe(666); // 10% of 6666, the clearance line left out
    expect(p.lines.map((l) => l.memberDiscount)).toEqual([333, 333, 0]);
    expect(p.steps[1]).toEqual({ kind: 'member_discount', label: '会员折扣 Member discount · 金卡 9折', amount: -666 });
    expect(p.adjustments).toEqual([{ kind: 'member_discount', label: p.steps[1].label, amount: -666 }]);
    expect(p.goodsTotal).toBe(11666 - 666);
  });

  it('满99减10 applies at the threshold and says how much is missing below it', () => {
    const c = coupon(off(1000, 9900));
    expect(price({ lines: [line('p1', 9900)], coupons: [c] })).toMatchObject({
      couponDiscount: 1000,
      goodsTotal: 8900,
    });
    const short = price({ lines: [line('p1', 8700)], coupons: [c] });
    expect(short.coupon).toBeNull();
    expect(short.coupons[0]).toMatchObject({
      applicable: false,
      title: '满99减10 (¥10 off ¥99+)',
      refusal: { code: 'BELOW_THRESHOLD', message: '差 ¥12.00 可用 (¥12.00 short)', gap: 1200 },
    });
  });

  it('checks the threshold against the total after the member discount', () => {
    // ¥100 of goods is ¥90 for a gold member: ¥9 short of 满99.
    const p = price({
      lines: [line('p1', 10000)],
      member: { level: gold, points: 0, balance: 0 },
      coupons: [coupon(off(1000, 9900))],
    });
    expect(p.coupons[0].refusal).toMatchObject({ message: '差 ¥9.00 可用 (¥9.00 short)', gap: 900 });
    expect(p.orderTotal).toBe(9000);
  });

  it('无门槛 takes its amount off, never more than the goods it covers', () => {
    const c = coupon({ kind: 'no_threshold', amountOff: 500 });
    expect(price({ lines: [line('p1', 1200)], coupons: [c] })).toMatchObject({ couponDiscount: 500, orderTotal: 700 });
    expect(price({ lines: [line('p1', 300)], coupons: [c] })).toMatchObject({ couponDiscount: 300, orderTotal: 0 });
    expect(couponTitle(c.benefit)).toBe('无门槛减5 (¥5 off)');
  });

  it('a percent coupon rounds down and stops at its cap; its own threshold counts too', () => {
    const capped: CouponBenefit = { kind: 'percent_off', percentOff: 20, maxOff: 2000, threshold: 0 };
    expect(price({ lines: [line('p1', 5555)], coupons: [coupon(capped)] }).couponDiscount).toBe(1111);
    expect(price({ lines: [line('p1', 15000)], coupons: [coupon(capped)] }).couponDiscount).toBe(2000);
    const open: CouponBenefit = { kind: 'percent_off', percentOff: 15, maxOff: null, threshold: 10000 };
    expect(price({ lines: [line('p1', 40000)], coupons: [coupon(open)] }).couponDiscount).toBe(6000);
    expect(price({ lines: [line('p1', 9999)], coupons: [coupon(open)] }).coupons[0].refusal?.message).toBe(
      '差 ¥0.01 可用 (¥0.01 short)',
    );
    expect(couponTitle(capped)).toBe('8折 最高减20 (20% off, up to ¥20)');
    expect(couponTitle(open)).toBe('满100享8.5折 (15% off ¥100+)');
  });

  it('a scoped coupon counts and discounts only its products or categories', () => {
    const lines = [
      line('p1', 6000),
      line('p2', 4000, 1, { categoryId: 'cat_tea' }),
      line('p3', 2000, 1, { categoryId: null }),
    ];
    const byProduct = coupon(off(1000, 8000), { scope: { type: 'products', productIds: ['p2', 'p3'] } });
    expect(price({ lines, coupons: [byProduct] }).coupons[0].refusal?.message).toBe('差 ¥20.00 可用 (¥20.00 short)');
    const tea = coupon(
      { kind: 'percent_off', percentOff: 10, maxOff: null, threshold: 0 },
      {
        scope: { type: 'categories', categoryIds: ['cat_tea'] },
      },
    );
    const p = price({ lines, coupons: [tea] });
    expect(p.couponDiscount).toBe(400);
    expect(p.lines.map((l) => l.couponDiscount)).toEqual([0, 400, 0]);
    const elsewhere = coupon(off(100, 200), { scope: { type: 'categories', categoryIds: ['cat_wine'] } });
    expect(price({ lines, coupons: [elsewhere] }).coupons[0].refusal).toEqual({
      code: 'NOT_FOR_THESE_ITEMS',
      message: '不适用于这些商品 (not for these items)',
    });
  });

  it('judges validity at the `now` passed in: usable from validFrom, not at validUntil', () => {
    const c = coupon(off(1000, 5000), {
      validFrom: '2026-12-01T00:00:00.000Z',
      validUntil: '2026-12-02T00:00:00.000Z',
    });
    const lines = [line('p1', 9000)];
    const at = (iso: string) => price({ lines, coupons: [c], now: new Date(iso) }).coupons[0];
    expect(at('2026-11-30T23:59:59.999Z').refusal).toEqual({
      code: 'NOT_YET_VALID',
      message: '未到使用时间，2026-12-01 08:00 起可用 (not valid yet: from 2026-12-01 08:00)',
    });
    expect(at('2026-12-01T00:00:00.000Z').applicable).toBe(true);
    expect(at('2026-12-02T00:00:00.000Z').refusal).toEqual({ code: 'EXPIRED', message: '已过期 (expired)' });
  });

  it('a coupon that does not stack replaces the member discount; the best choice compares both ways', () => {
    const member = { level: gold, points: 0, balance: 0 };
    const lines = [line('p1', 20000)];
    const small = coupon(off(1500, 10000), { stacksWithMemberDiscount: false }); // 18500 > 18000 member price
    const big = coupon(off(3000, 10000), { stacksWithMemberDiscount: false }); // 17000 < 18000
    const weak = price({ lines, member, coupons: [small] });
    expect(weak.coupon).toBeNull();
    expect(weak).toMatchObject({ memberDiscount: 2000, orderTotal: 18000 });
    expect(weak.coupons[0]).toMatchObject({ applicable: true, orderTotal: 18500, withMemberDiscount: false });

    const strong = price({ lines, member, coupons: [small, big] });
    expect(strong.coupon?.couponId).toBe(big.id);
    expect(kinds(strong)).toEqual([
      ['items', 20000],
      ['coupon', -3000],
      ['shipping', 0],
      ['wechat_pay', 17000],
    ]);
    expect(strong.lines[0]).toMatchObject({ memberDiscount: 0, couponDiscount: 3000, goodsPaid: 17000 });
  });

  it('judges a non-stacking coupon’s threshold at SKU price, a stacking one’s after the discount', () => {
    const member = { level: gold, points: 0, balance: 0 };
    const stacking = coupon(off(500, 9900));
    const alone = coupon(off(500, 9900), { stacksWithMemberDiscount: false });
    const p = price({ lines: [line('p1', 10000)], member, coupons: [stacking, alone] });
    expect(p.coupons.map((v) => v.applicable)).toEqual([false, true]);
  });

  it('on equal totals keeps the coupon for later, else takes the one expiring soonest, then the smaller', () => {
    const lines = [line('p1', 10000)];
    const later = coupon(off(1000, 5000), { validUntil: '2026-12-20T00:00:00.000Z' });
    const sooner = coupon(off(1000, 5000), { validUntil: '2026-12-10T00:00:00.000Z' });
    expect(price({ lines, coupons: [later, sooner] }).coupon?.couponId).toBe(sooner.id);

    // Both take the goods to zero: the smaller face value is spent.
    const tiny = [line('p1', 300)];
    const five = coupon({ kind: 'no_threshold', amountOff: 500 });
    const three = coupon({ kind: 'no_threshold', amountOff: 300 });
    expect(price({ lines: tiny, coupons: [five, three] }).coupon?.couponId).toBe(three.id);

    // A coupon that only matches the member price is not spent.
    const member = { level: gold, points: 0, balance: 0 };
    const same = coupon(off(1000, 5000), { stacksWithMemberDiscount: false });
    expect(price({ lines, member, coupons: [same] })).toMatchObject({ coupon: null, memberDiscount: 1000 });
  });

  it('lets the buyer pick another applicable coupon or none, and refuses an inapplicable one with its reason', () => {
    const lines = [line('p1', 10000)];
    const best = coupon(off(2000, 10000));
    const other = coupon({ kind: 'no_threshold', amountOff: 500 });
    const short = coupon(off(5000, 20000));
    const coupons = [best, other, short];
    expect(price({ lines, coupons }).coupon).toMatchObject({ couponId: best.id, chosenBy: 'best' });
    expect(price({ lines, coupons, choice: { coupon: { couponId: other.id } } })).toMatchObject({
      coupon: { couponId: other.id, chosenBy: 'buyer' },
      orderTotal: 9500,
    });
    expect(price({ lines, coupons, choice: { coupon: 'none' } })).toMatchObject({ coupon: null, orderTotal: 10000 });
    expect(
      priceCheckout({ lines, coupons, shipping: noShipping, now, choice: { coupon: { couponId: short.id } } }),
    ).toEqual({
      ok: false,
      couponId: short.id,
      refusal: { code: 'BELOW_THRESHOLD', message: '差 ¥100.00 可用 (¥100.00 short)', gap: 10000 },
    });
    expect(
      priceCheckout({ lines, coupons, shipping: noShipping, now, choice: { coupon: { couponId: 'cpn_x' } } }),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'NOT_YOURS' },
    });
  });

  it('charges shipping on the total after discounts, so the best choice counts a lost free shipping', () => {
    const lines = [line('p1', 10000)];
    const shipping = { flatFee: 1000, freeOver: 9900 };
    const small = coupon({ kind: 'no_threshold', amountOff: 200 }); // ¥98 of goods + ¥10 shipping
    expect(price({ lines, shipping, coupons: [small] })).toMatchObject({ coupon: null, orderTotal: 10000 });
    const picked = price({ lines, shipping, coupons: [small], choice: { coupon: { couponId: small.id } } });
    expect(kinds(picked)).toEqual([
      ['items', 10000],
      ['coupon', -200],
      ['shipping', 1000],
      ['wechat_pay', 10800],
    ]);
    expect(picked.steps.find((s) => s.kind === 'shipping')?.label).toBe('运费 Shipping');
  });

  it('ships free for a level with that benefit, whatever the total', () => {
    const member = { level: { ...gold, freeShipping: true }, points: 0, balance: 0 };
    const p = price({ lines: [line('p1', 1000)], shipping: defaultShippingRule, member });
    expect(p.shippingFee).toBe(0);
    expect(p.steps.find((s) => s.kind === 'shipping')?.label).toBe('运费 Shipping · 金卡会员包邮 free for members');
  });

  it('pays with whole points up to the programme’s share of the goods and what the member holds', () => {
    const lines = [line('p1', 9000)];
    const pointsRule = { points: 100, fen: 100, maxSharePercent: 50 };
    const rich = { level: null, points: 100_000, balance: 0 };
    const p = price({ lines, member: rich, pointsRule, choice: { points: 'max' } });
    expect(p.payment).toMatchObject({ points: 4500, pointsFen: 4500, wechat: 4500 });
    expect(p.pointsAllowed).toEqual({ points: 4500, fen: 4500 });
    expect(p.steps.find((s) => s.kind === 'points')).toEqual({
      kind: 'points',
      label: '积分抵扣 Points · 4500 积分',
      amount: -4500,
    });
    // A request is lowered to what is allowed; none by default.
    expect(price({ lines, member: rich, pointsRule, choice: { points: 99_999 } }).payment.points).toBe(4500);
    expect(price({ lines, member: rich, pointsRule }).payment.points).toBe(0);

    // 1000 points = ¥1: points go in blocks of 10 (1 fen each).
    const dear = { points: 1000, fen: 100, maxSharePercent: 100 };
    const some = { level: null, points: 1234, balance: 0 };
    expect(price({ lines, member: some, pointsRule: dear, choice: { points: 'max' } }).payment).toMatchObject({
      points: 1230,
      pointsFen: 123,
    });
    expect(price({ lines, member: some, pointsRule: dear, choice: { points: 555 } }).payment).toMatchObject({
      points: 550,
      pointsFen: 55,
    });
    // No programme, or no membership: no points.
    expect(price({ lines, member: rich, choice: { points: 'max' } }).payment.points).toBe(0);
    expect(price({ lines, pointsRule, choice: { points: 'max' } }).payment.points).toBe(0);
  });

  it('takes the balance up to what is left, shipping included, and WeChat Pay for the rest', () => {
    const lines = [line('p1', 5000)];
    const shipping = { flatFee: 800, freeOver: null };
    const member = { level: null, points: 1000, balance: 3000 };
    const pointsRule = { points: 100, fen: 100, maxSharePercent: 10 };
    const part = price({ lines, shipping, member, pointsRule, choice: { points: 'max', useBalance: true } });
    expect(kinds(part)).toEqual([
      ['items', 5000],
      ['shipping', 800],
      ['points', -500],
      ['balance', -3000],
      ['wechat_pay', 2300],
    ]);
    const whole = price({ lines, shipping, member: { ...member, balance: 99_999 }, choice: { useBalance: true } });
    expect(whole.payment).toEqual({ points: 0, pointsFen: 0, balance: 5800, wechat: 0 });
    expect(price({ lines, shipping, member }).payment.balance).toBe(0);
  });

  it('all steps together: member discount, coupon, shipping, points, balance', () => {
    const lines = [line('p1', 4999, 2), line('p2', 3001, 1, { categoryId: 'cat_tea' })];
    const member = {
      level: { levelName: '银卡', discountPercent: 5, freeShipping: false },
      points: 800,
      balance: 2000,
    };
    const p = price({
      lines,
      shipping: { flatFee: 1000, freeOver: 20000 },
      member,
      pointsRule: { points: 100, fen: 100, maxSharePercent: 20 },
      coupons: [coupon(off(1000, 9900))],
      choice: { points: 'max', useBalance: true },
    });
    expect(kinds(p)).toEqual([
      ['items', 12999],
      ['member_discount', -649],
      ['coupon', -1000],
      ['shipping', 1000],
      ['points', -800],
      ['balance', -2000],
      ['wechat_pay', 9550],
    ]);
    expect(p.lines.map((l) => [l.memberDiscount, l.couponDiscount, l.goodsPaid])).toEqual([
      [499, 769, 8730],
      [150, 231, 2620],
    ]);
  });
});

describe('allocate: discounts spread over lines in whole fen', () => {
  it('is proportional, exact, and hands leftover fen to the largest fractions (the last line on a tie)', () => {
    expect(allocate(100, [5000, 3000, 2000])).toEqual([50, 30, 20]);
    expect(allocate(10, [1, 1, 1])).toEqual([3, 3, 4]);
    expect(allocate(10, [3333, 3333, 3334])).toEqual([3, 3, 4]);
    expect(allocate(7, [0, 2, 5])).toEqual([0, 2, 5]);
    expect(allocate(0, [0, 0])).toEqual([0, 0]);
  });

  it('never gives a line more than its own total, even with many small lines', () => {
    const shares = allocate(9, Array(10).fill(1));
    expect(shares.reduce((s, x) => s + x, 0)).toBe(9);
    expect(Math.max(...shares)).toBe(1);
  });

  it('refuses what cannot be spread', () => {
    expect(() => allocate(1, [0, 0])).toThrow(/zero/);
    expect(() => allocate(1.5, [1])).toThrow(RangeError);
    expect(() => allocate(1, [-1, 2])).toThrow(RangeError);
  });
});

describe('coupon schemas', () => {
  it('accept the three kinds and refuse impossible ones with the field named', () => {
    expect(CouponBenefit.safeParse({ kind: 'amount_off', amountOff: 1000, threshold: 9900 }).success).toBe(true);
    expect(CouponBenefit.safeParse({ kind: 'no_threshold', amountOff: 500 }).success).toBe(true);
    expect(CouponBenefit.safeParse({ kind: 'percent_off', percentOff: 20, maxOff: null, threshold: 0 }).success).toBe(
      true,
    );
    const bad = CouponBenefit.safeParse({ kind: 'amount_off', amountOff: 1000, threshold: 0 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(['threshold']);
    expect(CouponBenefit.safeParse({ kind: 'percent_off', percentOff: 0, maxOff: null, threshold: 0 }).success).toBe(
      false,
    );
    expect(CouponBenefit.safeParse({ kind: 'amount_off', amountOff: 9.5, threshold: 100 }).success).toBe(false);
  });

  it('a coupon must end after it starts', () => {
    const c = coupon(off(100, 200), { validUntil: '2026-11-01T00:00:00.000Z' });
    const r = UsableCoupon.safeParse(c);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['validUntil'], message: 'must be after validFrom' });
    expect(UsableCoupon.safeParse(coupon(off(100, 200))).success).toBe(true);
  });
});
