/**
 * Splitting an amount of fen over lines in proportion, exactly. Discounts are spread over the
 * lines they came from so that a later partial refund can return each line's own share.
 */

/**
 * Splits `amount` fen over `weights` (usually line totals) in proportion. The shares are whole
 * fen and add up to `amount` exactly: each line first gets the rounded-down share, and the fen
 * left over go one each to the lines with the largest rounded-off fractions (ties: the larger
 * line, then the later one). Handing the whole remainder to one line could push that line's
 * share above its own total when many small lines share a small amount; this way, when
 * `amount` is at most the sum of the weights, no share exceeds its weight.
 */
export function allocate(amount: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError('amount must be whole fen, not negative');
  for (const w of weights)
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError('weights must be whole fen, not negative');
  if (amount === 0) return weights.map(() => 0);
  const total = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (total === 0n) throw new RangeError('cannot spread an amount over lines that total zero');
  // BigInt keeps amount × weight exact far beyond 2^53.
  const big = BigInt(amount);
  const shares = weights.map((w) => (big * BigInt(w)) / total);
  const fractions = weights.map((w, i) => ({ i, w, rest: (big * BigInt(w)) % total }));
  let left = amount - shares.reduce((s, x) => s + Number(x), 0);
  fractions.sort((a, b) => (a.rest !== b.rest ? (b.rest > a.rest ? 1 : -1) : b.w - a.w || b.i - a.i));
  for (const f of fractions) {
    if (left === 0) break;
    shares[f.i] += 1n;
    left -= 1;
  }
  return shares.map(Number);
}

/** `a × b / c` rounded down, exact for any safe integers (used for percentages of fen). */
export function mulDivFloor(a: number, b: number, c: number): number {
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}
