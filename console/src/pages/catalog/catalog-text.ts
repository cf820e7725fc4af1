/** What the catalog pages say about money, stock and refusals, Chinese first. */
import { ApiError, ErrorCode, formatFen } from '@chatmall/shared';
import { problemText } from '../../api/messages';

/** `¥39.00` or `¥39.00 – ¥68.00`. */
export function priceRange(from: number, to: number): string {
  return from === to ? formatFen(from) : `${formatFen(from)} – ${formatFen(to)}`;
}

/** A SKU's name from its spec values (`红 / S`), or 默认 for a product without specs. */
export function skuLabel(specValues: readonly string[]): string {
  return specValues.length ? specValues.join(' / ') : '默认规格 Default';
}

/** 409 OUT_OF_STOCK from a stock adjustment, in words: how many are on hand. */
export function outOfStockText(err: unknown): string | null {
  if (!(err instanceof ApiError) || err.code !== ErrorCode.OUT_OF_STOCK) return null;
  const onHand = /\((\d+) on hand\)/.exec(err.fields.find((f) => f.path === 'body.delta')?.message ?? '')?.[1];
  return onHand !== undefined
    ? `库存不足：现有 ${onHand} 件，减少后不能低于 0 · Only ${onHand} on hand; stock cannot go below zero`
    : '库存不足，减少后不能低于 0 · Stock cannot go below zero';
}

/** 409 from deleting a category that still has products, in words. */
export function categoryNotEmptyText(err: unknown): string {
  if (err instanceof ApiError && err.code === ErrorCode.CONFLICT) {
    const count = /has (\d+) product/.exec(err.message)?.[1];
    return `分类下还有${count ? ` ${count} 件` : ''}商品，不能删除：请先把商品移到其他分类或删除 · ${err.message}`;
  }
  return problemText(err);
}

/** 409 from a shelf order that missed someone else's change. */
export function staleShelfText(err: unknown): string {
  if (err instanceof ApiError && err.code === ErrorCode.CONFLICT)
    return '分类列表已被他人修改，已刷新，请重新排序 · The categories changed meanwhile; reloaded, please reorder';
  return problemText(err);
}
