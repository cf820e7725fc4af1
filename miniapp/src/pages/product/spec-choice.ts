/** How a buyer's spec choice maps onto SKUs: pure functions, no Taro. */
import type { ProductDetail } from '@chatmall/shared';

/** The first SKU that can be bought, or the first SKU when all are sold out. */
export function defaultChoice(product: Pick<ProductDetail, 'skus'>): string[] {
  const sku = product.skus.find((s) => s.stock > 0) ?? product.skus[0];
  return [...sku.specValues];
}

/** Whether picking `value` in dimension `dim`, keeping the other choices, lands on an SKU in stock. */
export function leadsToStock(
  product: Pick<ProductDetail, 'skus'>,
  chosen: readonly string[],
  dim: number,
  value: string,
): boolean {
  return product.skus.some(
    (s) => s.stock > 0 && s.specValues.every((v, i) => (i === dim ? v === value : v === chosen[i])),
  );
}
