/**
 * Money is always an integer number of fen (1 yuan = 100 fen) on the wire, in the
 * database and in every calculation. Only the display layer turns fen into "¥39.00".
 */
import { z } from 'zod';

/** An amount in fen: a non-negative safe integer. */
export const Fen = z
  .number({ error: 'must be an amount in fen (an integer)' })
  .int('must be an integer number of fen')
  .nonnegative('must not be negative')
  .max(Number.MAX_SAFE_INTEGER);
export type Fen = z.infer<typeof Fen>;

/**
 * The most a unit may cost (¥99,999.99) and an order may total (the same): every amount
 * the API accepts and every total computed from them fits a 32-bit `int` money column
 * with room to spare, and the storefront's bars are laid out for it
 * (`docs/decisions/0016-money-and-integer-bounds.md`).
 */
export const MAX_PRICE = 9_999_999;
export const MAX_ORDER_TOTAL = 9_999_999;

/** A price or an amount a person enters, in fen, up to ¥99,999.99. */
export const Price = Fen.max(MAX_PRICE, 'must be at most ¥99,999.99 (9999999 fen)');

export function assertFen(value: number, what = 'amount'): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer number of fen`);
  return value;
}

/** `3900` → `"¥39.00"`; `-150` → `"-¥1.50"`. Exact: no floating-point division. */
export function formatFen(fen: number, symbol = '¥'): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${symbol}${grouped}.${String(cents).padStart(2, '0')}`;
}

/** Parses a yuan string a person typed ("39", "39.5", "39.50") into fen, exactly. */
export function parseYuan(text: string): number {
  const m = /^\s*(\d+)(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) throw new RangeError(`not an amount in yuan: ${JSON.stringify(text)}`);
  const yuan = Number(m[1]);
  const cents = Number((m[2] ?? '').padEnd(2, '0'));
  return assertFen(yuan * 100 + cents);
}
