/**
 * Pricing as pure functions: the server is authoritative, and the storefront previews the
 * checkout with the same code. Every amount is integer fen.
 *
 * Extension points: `adjustments` are applied in order after line totals — member prices,
 * coupons, points and balance each become one adjustment provider in later issues.
 */
import { z } from 'zod';
import { Fen } from './money';

export interface PricedLine {
  skuId: string;
  unitPrice: number;
  quantity: number;
}

export interface ShippingRule {
  /** Flat fee when the order is below the free-shipping threshold. */
  flatFee: number;
  /** Items total at or above which shipping is free; null = never free. */
  freeOver: number | null;
}

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
