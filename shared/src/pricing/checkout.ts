/**
 * The checkout price in the order DESIGN.md "Pricing order" gives, as one pure function that
 * the storefront previews with and the server decides with:
 *   lines at SKU price → member discount → one coupon → shipping → points → balance → WeChat Pay.
 * Everything it needs comes in as plain data; nothing here reads a database or a clock.
 */
import { z } from 'zod';
import { Fen, Price } from '../money';
import { allocate, mulDivFloor } from './allocate';
import { type Adjustment, lineTotal, PriceBreakdown, type ShippingRule } from './basics';
import {
  couponDiscount,
  CouponRefusal,
  couponRefusals,
  couponTimeRefusal,
  couponTitle,
  inCouponScope,
  percentOffInZhe,
  type UsableCoupon,
} from './coupons';
import { type LevelBenefits, type MemberAtCheckout, pointsBlock, type PointsRule } from './member';

/** A cart line as checkout sees it: the scope of a coupon matches its product and category. */
export const CheckoutLine = z.object({
  skuId: z.string().min(1),
  productId: z.string().min(1),
  categoryId: z.string().min(1).nullable(),
  unitPrice: Price,
  quantity: z.number().int('must be a whole number of units').min(1, 'must be at least 1'),
  /** false: the product is left out of member discounts (say, already at a clearance price). Default true. */
  memberDiscount: z.boolean().optional(),
});
export type CheckoutLine = z.infer<typeof CheckoutLine>;

/** Which coupon: the best for the buyer, none, or the one the buyer picked. */
export const CouponChoice = z.union([z.literal('best'), z.literal('none'), z.object({ couponId: z.string().min(1) })]);
export type CouponChoice = z.infer<typeof CouponChoice>;

/** What the buyer chose on the checkout page; the server re-prices with it, it is only a request. */
export const CheckoutChoice = z.object({
  coupon: CouponChoice.default('best'),
  /** Points to spend: `max` for as many as allowed, or a number (lowered to what is allowed). */
  points: z.union([z.literal('max'), z.number().int('must be a whole number of points').nonnegative()]).default(0),
  useBalance: z.boolean().default(false),
});
export type CheckoutChoice = z.input<typeof CheckoutChoice>;

export interface CheckoutInput {
  lines: readonly CheckoutLine[];
  /** The shop's shipping rule (`ShopSettings.shipping`). */
  shipping: ShippingRule;
  /** null or absent: not a member (no discount, no points, no balance). */
  member?: MemberAtCheckout | null;
  /** null or absent: the shop runs no points programme. */
  pointsRule?: PointsRule | null;
  /** The buyer's unused coupons; each is judged, and at most one is used. */
  coupons?: readonly UsableCoupon[];
  /** Coupon validity is judged at this instant. */
  now: Date;
  choice?: CheckoutChoice;
}

export const BreakdownStepKind = z.enum([
  'items',
  'member_discount',
  'coupon',
  'shipping',
  'points',
  'balance',
  'wechat_pay',
]);
export type BreakdownStepKind = z.infer<typeof BreakdownStepKind>;

/** One row of the checkout: the amounts above `wechat_pay` add up to it (discounts and payments negative). */
export const BreakdownStep = z.object({ kind: BreakdownStepKind, label: z.string(), amount: z.number().int() });
export type BreakdownStep = z.infer<typeof BreakdownStep>;

/** What each line carries of the discounts, so a partial refund can return that line's own share. */
export const LineAllocation = z.object({
  skuId: z.string(),
  productId: z.string(),
  lineTotal: Fen,
  memberDiscount: Fen,
  couponDiscount: Fen,
  /** lineTotal − memberDiscount − couponDiscount. */
  goodsPaid: Fen,
});
export type LineAllocation = z.infer<typeof LineAllocation>;

/** How the order total is paid; an order records these parts. */
export const PaymentParts = z.object({
  points: z.number().int().nonnegative(),
  pointsFen: Fen,
  balance: Fen,
  wechat: Fen,
});
export type PaymentParts = z.infer<typeof PaymentParts>;

/** One of the buyer's coupons judged against this cart. */
export const CouponVerdict = z.object({
  couponId: z.string(),
  title: z.string(),
  applicable: z.boolean(),
  /** Fen it takes off here, when applicable. */
  discount: Fen.nullable(),
  /** What the order would total with it (goods after discounts + shipping), when applicable. */
  orderTotal: Fen.nullable(),
  /** false when using it gives up the member discount. */
  withMemberDiscount: z.boolean(),
  refusal: CouponRefusal.nullable(),
});
export type CouponVerdict = z.infer<typeof CouponVerdict>;

/**
 * The priced checkout. It is a `PriceBreakdown` too (`payable` is the order total the payment
 * parts cover, `adjustments` the member and coupon discounts), so the existing breakdown
 * component and routes keep working with it.
 */
export const CheckoutPrice = PriceBreakdown.extend({
  memberDiscount: Fen,
  couponDiscount: Fen,
  /** itemsTotal − memberDiscount − couponDiscount: what shipping and points are judged on. */
  goodsTotal: Fen,
  /** goodsTotal + shippingFee = payment.pointsFen + payment.balance + payment.wechat (= payable). */
  orderTotal: Fen,
  coupon: z.object({ couponId: z.string(), title: z.string(), chosenBy: z.enum(['best', 'buyer']) }).nullable(),
  coupons: z.array(CouponVerdict),
  /** The most points this order could take, and their value: "最多可用 N 积分". */
  pointsAllowed: z.object({ points: z.number().int().nonnegative(), fen: Fen }),
  payment: PaymentParts,
  steps: z.array(BreakdownStep),
  lines: z.array(LineAllocation),
});
export type CheckoutPrice = z.infer<typeof CheckoutPrice>;

/** A refused choice: the buyer picked a coupon that does not apply (or is not theirs), and why. */
export type CheckoutResult =
  { ok: true; price: CheckoutPrice } | { ok: false; couponId: string; refusal: CouponRefusal };

/** One way to price the goods: with a coupon or none, keeping or giving up the member discount. */
interface Option {
  coupon: UsableCoupon | null;
  withMemberDiscount: boolean;
  memberByLine: number[];
  couponByLine: number[];
  couponDiscount: number;
  goodsTotal: number;
  shippingFee: number;
  shippingWhy: 'charged' | 'threshold' | 'level' | 'empty';
  orderTotal: number;
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

function shippingFor(
  goodsTotal: number,
  hasLines: boolean,
  rule: ShippingRule,
  level: LevelBenefits | null,
): Pick<Option, 'shippingFee' | 'shippingWhy'> {
  if (!hasLines) return { shippingFee: 0, shippingWhy: 'empty' };
  if (level?.freeShipping) return { shippingFee: 0, shippingWhy: 'level' };
  if (rule.flatFee === 0 || (rule.freeOver !== null && goodsTotal >= rule.freeOver))
    return { shippingFee: 0, shippingWhy: 'threshold' };
  return { shippingFee: rule.flatFee, shippingWhy: 'charged' };
}

/** The most a coupon can ever take off: its amount, or its cap (a percent without a cap has none). */
function faceValue(coupon: UsableCoupon): number {
  const b = coupon.benefit;
  return b.kind === 'percent_off' ? (b.maxOff ?? Infinity) : b.amountOff;
}

/**
 * Best first: the lowest order total; on a tie no coupon (keep it for later), then the coupon
 * expiring soonest, then the smallest face value (keep the bigger one), then by id so the
 * answer never wobbles.
 */
function better(a: Option, b: Option): number {
  if (a.orderTotal !== b.orderTotal) return a.orderTotal - b.orderTotal;
  if (!a.coupon || !b.coupon) return (a.coupon ? 1 : 0) - (b.coupon ? 1 : 0);
  const expiry = Date.parse(a.coupon.validUntil) - Date.parse(b.coupon.validUntil);
  if (expiry !== 0) return expiry;
  const face = faceValue(a.coupon) - faceValue(b.coupon);
  if (face !== 0 && !Number.isNaN(face)) return face;
  return a.coupon.id < b.coupon.id ? -1 : a.coupon.id > b.coupon.id ? 1 : 0;
}

/**
 * Prices a checkout. A coupon the buyer picked that does not apply (or is not theirs) is a
 * refusal with its reason, not an exception; a malformed `choice` throws a ZodError and an
 * overflowing line a RangeError, as the caller validates its input before pricing.
 */
export function priceCheckout(input: CheckoutInput): CheckoutResult {
  const { lines, shipping, now } = input;
  const member = input.member ?? null;
  const level = member?.level ?? null;
  const coupons = input.coupons ?? [];
  const choice = CheckoutChoice.parse(input.choice ?? {});

  const totals = lines.map(lineTotal);
  const itemsTotal = sum(totals);
  const hasLines = lines.length > 0;

  // Step 2: the level's percent off the eligible lines, rounded down, spread over them.
  const eligible = lines.map((l, i) => (l.memberDiscount === false ? 0 : totals[i]));
  const memberOff = mulDivFloor(sum(eligible), level?.discountPercent ?? 0, 100);
  const memberByLine = allocate(memberOff, eligible);
  const noMember = lines.map(() => 0);

  const finish = (coupon: UsableCoupon | null, withMember: boolean, byLine: number[], off: number): Option => {
    const memberLines = withMember ? memberByLine : noMember;
    const goodsTotal = itemsTotal - sum(memberLines) - off;
    const ship = shippingFor(goodsTotal, hasLines, shipping, level);
    return {
      coupon,
      withMemberDiscount: withMember,
      memberByLine: memberLines,
      couponByLine: byLine,
      couponDiscount: off,
      goodsTotal,
      ...ship,
      orderTotal: goodsTotal + ship.shippingFee,
    };
  };

  // Step 3: each coupon judged on the goods after step 2, or at SKU price when it replaces step 2.
  const judge = (coupon: UsableCoupon): { option: Option } | { refusal: CouponRefusal } => {
    const early = couponTimeRefusal(coupon, now);
    if (early) return { refusal: early };
    const inScope = lines.map((l) => inCouponScope(coupon.scope, l));
    if (!inScope.includes(true)) return { refusal: couponRefusals.notForTheseItems() };
    const withMember = coupon.stacksWithMemberDiscount;
    const base = totals.map((t, i) => (inScope[i] ? t - (withMember ? memberByLine[i] : 0) : 0));
    const verdict = couponDiscount(coupon.benefit, sum(base));
    if (!verdict.ok) return { refusal: verdict.refusal };
    return { option: finish(coupon, withMember, allocate(verdict.discount, base), verdict.discount) };
  };

  const none = finish(null, true, noMember, 0);
  const judged = coupons.map((coupon) => ({ coupon, result: judge(coupon) }));
  const verdicts: CouponVerdict[] = judged.map(({ coupon, result }) => ({
    couponId: coupon.id,
    title: couponTitle(coupon.benefit),
    applicable: 'option' in result,
    discount: 'option' in result ? result.option.couponDiscount : null,
    orderTotal: 'option' in result ? result.option.orderTotal : null,
    withMemberDiscount: coupon.stacksWithMemberDiscount,
    refusal: 'refusal' in result ? result.refusal : null,
  }));

  let chosen: Option;
  if (choice.coupon === 'none') chosen = none;
  else if (choice.coupon === 'best')
    chosen = judged.reduce(
      (best, j) => ('option' in j.result && better(j.result.option, best) < 0 ? j.result.option : best),
      none,
    );
  else {
    const couponId = choice.coupon.couponId;
    const picked = judged.find((j) => j.coupon.id === couponId);
    if (!picked) return { ok: false, couponId, refusal: couponRefusals.notYours() };
    if ('refusal' in picked.result) return { ok: false, couponId, refusal: picked.result.refusal };
    chosen = picked.result.option;
  }

  // Step 5: whole blocks of points, up to the programme's share of the goods and what the member holds.
  const rule = input.pointsRule ?? null;
  let allowedBlocks = 0;
  let block = { points: 0, fen: 0 };
  if (member && rule) {
    block = pointsBlock(rule);
    const capFen = mulDivFloor(chosen.goodsTotal, rule.maxSharePercent, 100);
    allowedBlocks = Math.min(Math.floor(member.points / block.points), Math.floor(capFen / block.fen));
  }
  const wantedBlocks = choice.points === 'max' ? allowedBlocks : Math.floor(choice.points / Math.max(block.points, 1));
  const blocks = Math.min(wantedBlocks, allowedBlocks);
  const points = blocks * block.points;
  const pointsFen = blocks * block.fen;

  // Step 6 and 7: the balance up to what is left (shipping included), WeChat Pay for the rest.
  const balance = member && choice.useBalance ? Math.min(member.balance, chosen.orderTotal - pointsFen) : 0;
  const wechat = chosen.orderTotal - pointsFen - balance;

  const memberDiscount = sum(chosen.memberByLine);
  const adjustments: Adjustment[] = [];
  if (memberDiscount > 0 && level)
    adjustments.push({
      kind: 'member_discount',
      label: `会员折扣 Member discount · ${level.levelName} ${percentOffInZhe(level.discountPercent)}`,
      amount: -memberDiscount,
    });
  if (chosen.coupon)
    adjustments.push({
      kind: 'coupon',
      label: `优惠券 Coupon · ${couponTitle(chosen.coupon.benefit)}`,
      amount: -chosen.couponDiscount,
    });

  const shippingLabel = {
    charged: '运费 Shipping',
    threshold: '运费 Shipping · 免运费 free',
    level: `运费 Shipping · ${level?.levelName ?? ''}会员包邮 free for members`,
    empty: '运费 Shipping',
  }[chosen.shippingWhy];
  const steps: BreakdownStep[] = [
    { kind: 'items', label: '商品金额 Items', amount: itemsTotal },
    ...adjustments.map((a) => ({ kind: a.kind as BreakdownStepKind, label: a.label, amount: a.amount })),
    { kind: 'shipping', label: shippingLabel, amount: chosen.shippingFee },
  ];
  if (pointsFen > 0) steps.push({ kind: 'points', label: `积分抵扣 Points · ${points} 积分`, amount: -pointsFen });
  if (balance > 0) steps.push({ kind: 'balance', label: '余额 Balance', amount: -balance });
  steps.push({ kind: 'wechat_pay', label: '微信支付 WeChat Pay', amount: wechat });

  return {
    ok: true,
    price: {
      itemsTotal,
      adjustments,
      shippingFee: chosen.shippingFee,
      payable: chosen.orderTotal,
      memberDiscount,
      couponDiscount: chosen.couponDiscount,
      goodsTotal: chosen.goodsTotal,
      orderTotal: chosen.orderTotal,
      coupon: chosen.coupon
        ? {
            couponId: chosen.coupon.id,
            title: couponTitle(chosen.coupon.benefit),
            chosenBy: choice.coupon === 'best' ? 'best' : 'buyer',
          }
        : null,
      coupons: verdicts,
      pointsAllowed: { points: allowedBlocks * block.points, fen: allowedBlocks * block.fen },
      payment: { points, pointsFen, balance, wechat },
      steps,
      lines: lines.map((l, i) => ({
        skuId: l.skuId,
        productId: l.productId,
        lineTotal: totals[i],
        memberDiscount: chosen.memberByLine[i],
        couponDiscount: chosen.couponByLine[i],
        goodsPaid: totals[i] - chosen.memberByLine[i] - chosen.couponByLine[i],
      })),
    },
  };
}
