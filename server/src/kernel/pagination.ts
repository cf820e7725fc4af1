/**
 * Keyset pages over time-ordered ids (see shared/src/ids.ts), newest first: the cursor is
 * the last id the caller saw, and "older than it" is "id below it", so pages stay stable
 * while new rows arrive.
 */
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

export async function newestFirst<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  page: { cursor?: string; limit: number },
): Promise<{ items: T[]; nextCursor: string | null }> {
  const id = `${qb.alias}.id`;
  qb.orderBy(id, 'DESC').take(page.limit + 1);
  if (page.cursor) qb.andWhere(`${id} < :cursor`, { cursor: page.cursor });
  const rows = await qb.getMany();
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? items[items.length - 1].id : null };
}
