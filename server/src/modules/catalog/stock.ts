/**
 * Stock changes, only ever as conditional updates inside the caller's transaction:
 * `stock = stock - n WHERE stock >= n` cannot oversell or go negative, however many
 * checkouts race for the last units.
 */
import type { EntityManager } from 'typeorm';
import { OutOfStockError } from '../../kernel/errors';
import { SkuEntity } from './sku.entity';

export interface StockLine {
  skuId: string;
  quantity: number;
  /** Where the line came from in the request, for the error's field path. */
  path?: string;
}

/** Takes the units off the shelf, or throws OUT_OF_STOCK naming every short line. */
export async function reserveStock(tx: EntityManager, lines: readonly StockLine[]): Promise<void> {
  // A fixed order (by SKU id) keeps two multi-line orders from deadlocking each other.
  const sorted = [...lines].sort((a, b) => (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0));
  const short: StockLine[] = [];
  for (const line of sorted) {
    const result = await tx
      .createQueryBuilder()
      .update(SkuEntity)
      .set({ stock: () => 'stock - :qty' })
      .where('id = :id AND stock >= :qty', { id: line.skuId, qty: line.quantity })
      .execute();
    if (result.affected !== 1) short.push(line);
  }
  if (short.length) {
    throw new OutOfStockError(short.map((l) => ({ path: l.path ?? l.skuId, message: 'not enough stock' })));
  }
}

/** Puts units back (an order cancelled or closed unpaid). */
export async function releaseStock(tx: EntityManager, lines: readonly StockLine[]): Promise<void> {
  const sorted = [...lines].sort((a, b) => (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0));
  for (const line of sorted) {
    await tx
      .createQueryBuilder()
      .update(SkuEntity)
      .set({ stock: () => 'stock + :qty' })
      .where('id = :id', { id: line.skuId, qty: line.quantity })
      .execute();
  }
}
