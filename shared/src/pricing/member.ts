/**
 * What a buyer's membership changes at checkout: the level's discount and free shipping, and
 * the programme's rule for paying with points. Plain data; the membership module (issue 15)
 * reads it from its tables and hands it to `priceCheckout`.
 */
import { z } from 'zod';
import { Fen } from '../money';

/** The pricing side of a membership level's benefits. */
export const LevelBenefits = z.object({
  /** Shown on the discount line: 金卡 (Gold). */
  levelName: z.string().trim().min(1, 'must not be empty').max(20, 'must be at most 20 characters'),
  /** Percent off eligible lines: 5 is 95折, 12 is 88折, 0 is no discount. */
  discountPercent: z
    .number({ error: 'must be a whole percent' })
    .int('must be a whole percent')
    .min(0, 'must be at least 0')
    .max(90, 'must be at most 90 (a 1折 card)'),
  /** Orders of this level ship free whatever the shop's threshold. */
  freeShipping: z.boolean(),
});
export type LevelBenefits = z.infer<typeof LevelBenefits>;

/** How points pay at checkout: `points` points are worth `fen` fen (100 and 100: 100 points = ¥1). */
export const PointsRule = z.object({
  points: z.number().int('must be a whole number of points').min(1, 'must be at least 1').max(100_000),
  fen: z.number().int('must be a whole number of fen').min(1, 'must be at least 1').max(100_000),
  /** Points may pay at most this percent of the goods total (after discounts, before shipping). */
  maxSharePercent: z.number().int('must be a whole percent').min(0).max(100, 'must be at most 100'),
});
export type PointsRule = z.infer<typeof PointsRule>;

/** 100 points = ¥1 and up to half an order's goods: a programme's rule until its owner sets one. */
export const defaultPointsRule: PointsRule = { points: 100, fen: 100, maxSharePercent: 50 };

/** What a member brings to checkout. */
export const MemberAtCheckout = z.object({
  /** null: a member whose level gives no price benefits. */
  level: LevelBenefits.nullable(),
  /** Points the member holds now. */
  points: z.number().int().nonnegative(),
  /** Stored-value balance in fen (principal and bonus together). */
  balance: Fen,
});
export type MemberAtCheckout = z.infer<typeof MemberAtCheckout>;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Points are spent in the smallest block whose value is whole fen: 1 point = 1 fen for the
 * default rule, 10 points = 1 fen for 1000 points = ¥1. Each block has `points` and `fen`.
 */
export function pointsBlock(rule: PointsRule): { points: number; fen: number } {
  const g = gcd(rule.points, rule.fen);
  return { points: rule.points / g, fen: rule.fen / g };
}
