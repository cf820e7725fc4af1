/**
 * Coupons as the buyer holds them, and whether one applies to a cart. One set of zod schemas
 * so the console that creates templates, the server that prices and the storefront that
 * previews all agree. Amounts are integer fen; times are UTC ISO-8601 on the wire.
 */
import { z } from 'zod';
import { formatFen, MAX_ORDER_TOTAL, MAX_PRICE } from '../money';
import { Instant } from '../schema';
import { formatChinaTime } from '../time';
import { mulDivFloor } from './allocate';

const AmountOff = z
  .number({ error: 'must be an amount in fen (an integer)' })
  .int('must be an integer number of fen')
  .min(1, 'must be at least 1 fen')
  .max(MAX_PRICE, `must be at most ${MAX_PRICE} fen`);
const Threshold = z
  .number({ error: 'must be an amount in fen (an integer)' })
  .int('must be an integer number of fen')
  .min(0, 'must not be negative')
  .max(MAX_ORDER_TOTAL, `must be at most ${MAX_ORDER_TOTAL} fen`);

/** What a coupon takes off: 满 99 减 10, 无门槛减 5, or 8 折 capped at ¥20. */
export const CouponBenefit = z.discriminatedUnion('kind', [
  /** 满减: `amountOff` once the in-scope goods reach `threshold`. */
  z.object({
    kind: z.literal('amount_off'),
    amountOff: AmountOff,
    threshold: Threshold.min(1, 'must be at least 1 fen (use no_threshold for a coupon without one)'),
  }),
  /** 无门槛: `amountOff` on any order (never more than the in-scope goods). */
  z.object({ kind: z.literal('no_threshold'), amountOff: AmountOff }),
  /** 折扣: `percentOff` of the in-scope goods (20 is 8折), at most `maxOff`, from `threshold` (0: none). */
  z.object({
    kind: z.literal('percent_off'),
    percentOff: z.number().int('must be a whole percent').min(1, 'must be at least 1').max(90, 'must be at most 90'),
    maxOff: AmountOff.nullable(),
    threshold: Threshold,
  }),
]);
export type CouponBenefit = z.infer<typeof CouponBenefit>;

const Ids = z.array(z.string().min(1)).min(1, 'must name at least one').max(500, 'must name at most 500');

/** Which goods a coupon covers; lines carry `productId` and `categoryId` to be matched. */
export const CouponScope = z.discriminatedUnion('type', [
  z.object({ type: z.literal('shop') }),
  z.object({ type: z.literal('products'), productIds: Ids }),
  z.object({ type: z.literal('categories'), categoryIds: Ids }),
]);
export type CouponScope = z.infer<typeof CouponScope>;

/** A coupon the buyer holds and has not used: what checkout needs to know about it. */
export const UsableCoupon = z
  .object({
    id: z.string().min(1),
    benefit: CouponBenefit,
    scope: CouponScope,
    /** false: using it gives up the member discount (the best-choice search compares both ways). */
    stacksWithMemberDiscount: z.boolean(),
    validFrom: Instant,
    validUntil: Instant,
  })
  .refine((c) => Date.parse(c.validUntil) > Date.parse(c.validFrom), {
    path: ['validUntil'],
    message: 'must be after validFrom',
  });
export type UsableCoupon = z.infer<typeof UsableCoupon>;

export const CouponRefusalCode = z.enum([
  'NOT_YET_VALID',
  'EXPIRED',
  'NOT_FOR_THESE_ITEMS',
  'BELOW_THRESHOLD',
  'NOT_YOURS',
]);
export type CouponRefusalCode = z.infer<typeof CouponRefusalCode>;

/** Why a coupon cannot be used on this cart, in words for the buyer; `gap` is the fen still missing. */
export const CouponRefusal = z.object({
  code: CouponRefusalCode,
  message: z.string(),
  gap: z.number().int().positive().optional(),
});
export type CouponRefusal = z.infer<typeof CouponRefusal>;

/** Yuan as a merchant writes them on a coupon: 99, 9.90, 1,000. */
function yuan(fen: number): string {
  return formatFen(fen, '').replace(/\.00$/, '');
}

/** 20 percent off reads 8折 in China, 15 off reads 8.5折. */
export function percentOffInZhe(percentOff: number): string {
  return `${(100 - percentOff) / 10}折`;
}

/** The coupon's face as the buyer reads it: `满99减10 (¥10 off ¥99+)`. */
export function couponTitle(benefit: CouponBenefit): string {
  switch (benefit.kind) {
    case 'amount_off':
      return `满${yuan(benefit.threshold)}减${yuan(benefit.amountOff)} (¥${yuan(benefit.amountOff)} off ¥${yuan(benefit.threshold)}+)`;
    case 'no_threshold':
      return `无门槛减${yuan(benefit.amountOff)} (¥${yuan(benefit.amountOff)} off)`;
    case 'percent_off': {
      const zh = [
        benefit.threshold > 0
          ? `满${yuan(benefit.threshold)}享${percentOffInZhe(benefit.percentOff)}`
          : percentOffInZhe(benefit.percentOff),
        benefit.maxOff !== null ? ` 最高减${yuan(benefit.maxOff)}` : '',
      ].join('');
      const en = [
        `${benefit.percentOff}% off`,
        benefit.threshold > 0 ? ` ¥${yuan(benefit.threshold)}+` : '',
        benefit.maxOff !== null ? `, up to ¥${yuan(benefit.maxOff)}` : '',
      ].join('');
      return `${zh} (${en})`;
    }
  }
}

export const couponRefusals = {
  notYetValid: (validFrom: string): CouponRefusal => ({
    code: 'NOT_YET_VALID',
    message: `未到使用时间，${formatChinaTime(validFrom)} 起可用 (not valid yet: from ${formatChinaTime(validFrom)})`,
  }),
  expired: (): CouponRefusal => ({ code: 'EXPIRED', message: '已过期 (expired)' }),
  notForTheseItems: (): CouponRefusal => ({
    code: 'NOT_FOR_THESE_ITEMS',
    message: '不适用于这些商品 (not for these items)',
  }),
  belowThreshold: (gap: number): CouponRefusal => ({
    code: 'BELOW_THRESHOLD',
    message: `差 ${formatFen(gap)} 可用 (${formatFen(gap)} short)`,
    gap,
  }),
  notYours: (): CouponRefusal => ({ code: 'NOT_YOURS', message: '不是你的可用券 (not one of your usable coupons)' }),
};

/** Usable from `validFrom` up to, not including, `validUntil`. */
export function couponTimeRefusal(coupon: UsableCoupon, now: Date): CouponRefusal | null {
  const t = now.getTime();
  if (t < Date.parse(coupon.validFrom)) return couponRefusals.notYetValid(coupon.validFrom);
  if (t >= Date.parse(coupon.validUntil)) return couponRefusals.expired();
  return null;
}

export function inCouponScope(scope: CouponScope, line: { productId: string; categoryId: string | null }): boolean {
  switch (scope.type) {
    case 'shop':
      return true;
    case 'products':
      return scope.productIds.includes(line.productId);
    case 'categories':
      return line.categoryId !== null && scope.categoryIds.includes(line.categoryId);
  }
}

/**
 * What the coupon takes off in-scope goods worth `scopeTotal` fen (after the member discount
 * when it stacks), or why it cannot: the threshold is checked against that same total.
 */
export function couponDiscount(
  benefit: CouponBenefit,
  scopeTotal: number,
): { ok: true; discount: number } | { ok: false; refusal: CouponRefusal } {
  const threshold = benefit.kind === 'no_threshold' ? 0 : benefit.threshold;
  if (scopeTotal < threshold) return { ok: false, refusal: couponRefusals.belowThreshold(threshold - scopeTotal) };
  switch (benefit.kind) {
    case 'amount_off':
    case 'no_threshold':
      return { ok: true, discount: Math.min(benefit.amountOff, scopeTotal) };
    case 'percent_off': {
      // Rounded down: a percentage never takes off a fen more than it says.
      const off = mulDivFloor(scopeTotal, benefit.percentOff, 100);
      return { ok: true, discount: benefit.maxOff === null ? off : Math.min(off, benefit.maxOff) };
    }
  }
}
