/**
 * Pricing as pure functions: the server is authoritative, and the storefront previews the
 * checkout with the same code. Every amount is integer fen.
 *
 * This file holds the line and shipping basics and `priceOrder`, the cart's and today's
 * orders' price. The full checkout in the DESIGN.md order (member discount, coupon, shipping,
 * points, balance, WeChat Pay) is `priceCheckout` in `./checkout.ts`.
 */
import { z } from 'zod';
import { Fen } from '../money';

export interface PricedLine {
  skuId: string;
  unitPrice: number;
  quantity: number;
}

/** Highest flat shipping fee a shop may charge: ¥1,000. */
export const MAX_SHIPPING_FEE = 100_000;
/** Highest free-shipping threshold: ¥100,000. */
export const MAX_FREE_SHIPPING_OVER = 10_000_000;

/** How a shop charges shipping; the shop's settings hold it (`ShopSettings.shipping`). */
export const ShippingRule = z.object({
  /** Fee in fen charged when the order is below `freeOver` (0 = always free). */
  flatFee: Fen.max(MAX_SHIPPING_FEE, `must be at most ${MAX_SHIPPING_FEE} fen`),
  /** Goods total in fen at or above which shipping is free; null = never free. */
  freeOver: z
    .number({ error: 'must be an amount in fen (an integer), or null for never free' })
    .int('must be an integer number of fen')
    .min(1, 'must be at least 1 fen (or null for never free)')
    .max(MAX_FREE_SHIPPING_OVER, `must be at most ${MAX_FREE_SHIPPING_OVER} fen`)
    .nullable(),
});
export type ShippingRule = z.infer<typeof ShippingRule>;

/** ¥10 below ¥99, free from ¥99: what a shop charges until its owner sets a rule. */
export const defaultShippingRule: ShippingRule = { flatFee: 1000, freeOver: 9900 };

export const Adjustment = z.object({
  /** What kind of discount or charge: later `member_price`, `coupon`, `points`, `balance`. */
  kind: z.string(),
  label: z.string(),
  /** Negative for a discount. */
  amount: z.number().int(),
});
export type Adjustment = z.infer<typeof Adjustment>;

export const PriceBreakdown = z.object({
  itemsTotal: Fen,
  adjustments: z.array(Adjustment),
  shippingFee: Fen,
  payable: Fen,
});
export type PriceBreakdown = z.infer<typeof PriceBreakdown>;

/** An adjustment provider sees the lines and what has been applied so far. */
export type AdjustmentProvider = (input: {
  lines: readonly PricedLine[];
  itemsTotal: number;
  applied: readonly Adjustment[];
}) => Adjustment[];

export function lineTotal(line: Pick<PricedLine, 'unitPrice' | 'quantity'>): number {
  const total = line.unitPrice * line.quantity;
  if (!Number.isSafeInteger(total)) throw new RangeError('line total overflows');
  return total;
}

export function shippingFee(itemsTotal: number, rule: ShippingRule): number {
  if (itemsTotal === 0) return 0;
  return rule.freeOver !== null && itemsTotal >= rule.freeOver ? 0 : rule.flatFee;
}

/** Fen more the buyer would need for free shipping; null when already free or never free. */
export function freeShippingGap(itemsTotal: number, rule: ShippingRule): number | null {
  if (rule.freeOver === null || rule.flatFee === 0 || itemsTotal >= rule.freeOver) return null;
  return rule.freeOver - itemsTotal;
}

/**
 * Prices a checkout. `rule` is the shop's shipping rule (`ShopSettings.shipping`); callers
 * pass it from the shop settings, and the default stays only so older callers keep working.
 */
export function priceOrder(
  lines: readonly PricedLine[],
  rule: ShippingRule = defaultShippingRule,
  providers: readonly AdjustmentProvider[] = [],
): PriceBreakdown {
  const itemsTotal = lines.reduce((sum, l) => sum + lineTotal(l), 0);
  const adjustments: Adjustment[] = [];
  for (const provider of providers) adjustments.push(...provider({ lines, itemsTotal, applied: adjustments }));
  const adjusted = Math.max(0, itemsTotal + adjustments.reduce((s, a) => s + a.amount, 0));
  const fee = shippingFee(itemsTotal, rule);
  return { itemsTotal, adjustments, shippingFee: fee, payable: adjusted + fee };
}
