/**
 * Splitting a red-envelope pack's budget into shares, once, when the pack is created: the
 * shares are persisted with their index before anyone grabs (issue 14), so this runs on the
 * server with a CSPRNG. Pure: the random source is passed in, tests pass a seeded one.
 */
import { z } from 'zod';
import { MAX_ORDER_TOTAL, MAX_PRICE } from './money';

/** The most shares one pack may hold. */
export const MAX_RED_ENVELOPE_SHARES = 10_000;

export const RedEnvelopeSplitMode = z.enum(['random', 'equal']);
export type RedEnvelopeSplitMode = z.infer<typeof RedEnvelopeSplitMode>;

const wholeFen = (what: string) =>
  z.number({ error: `${what} must be an amount in fen (an integer)` }).int(`${what} must be an integer number of fen`);

export const RedEnvelopeSplit = z
  .object({
    budget: wholeFen('budget')
      .min(1, 'budget must be at least 1 fen')
      .max(MAX_ORDER_TOTAL, `budget must be at most ${MAX_ORDER_TOTAL} fen`),
    shares: z
      .number({ error: 'shares must be a whole number' })
      .int('shares must be a whole number')
      .min(1, 'shares must be at least 1')
      .max(MAX_RED_ENVELOPE_SHARES, `shares must be at most ${MAX_RED_ENVELOPE_SHARES}`),
    mode: RedEnvelopeSplitMode,
    minimumShare: wholeFen('minimumShare')
      .min(1, 'minimumShare must be at least 1 fen')
      .max(MAX_PRICE, `minimumShare must be at most ${MAX_PRICE} fen`),
  })
  .superRefine((v, ctx) => {
    if (v.budget < v.shares * v.minimumShare)
      ctx.addIssue({
        code: 'custom',
        path: ['budget'],
        message: `budget must be at least shares × minimumShare (${v.shares * v.minimumShare} fen)`,
      });
  });
export type RedEnvelopeSplit = z.infer<typeof RedEnvelopeSplit>;

/** A uniform integer in [0, bound). */
export type RandomInt = (bound: number) => number;

const UINT32 = 2 ** 32;

/** Uniform integers from the platform's CSPRNG (Web Crypto: Node 20 and browsers), without modulo bias. */
export const cryptoRandomInt: RandomInt = (bound) => {
  if (!Number.isSafeInteger(bound) || bound < 1 || bound > UINT32) throw new RangeError(`bad bound ${bound}`);
  const webCrypto = (globalThis as { crypto?: { getRandomValues<T extends Uint32Array>(a: T): T } }).crypto;
  if (!webCrypto) throw new Error('no crypto.getRandomValues here: pass a random source');
  // Draws at or above `limit` would favour small results; they are rare and redrawn.
  const limit = UINT32 - (UINT32 % bound);
  const word = new Uint32Array(1);
  for (;;) {
    webCrypto.getRandomValues(word);
    if (word[0] < limit) return word[0] % bound;
  }
};

function draw(random: RandomInt, low: number, high: number): number {
  const span = high - low + 1;
  const r = random(span);
  if (!Number.isInteger(r) || r < 0 || r >= span) throw new RangeError(`random source gave ${r} for [0, ${span})`);
  return low + r;
}

/** Fisher–Yates: every order equally likely. */
function shuffle<T>(items: T[], random: RandomInt): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = draw(random, 0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * Splits the budget into `shares` amounts in fen that add up to it exactly, in random order.
 *
 * Random mode is double-average: each share is drawn uniformly between the minimum and twice
 * the mean of what is left, narrowed so that what is left can always still be split, with
 * every share between `minimumShare` and `cap` = ⌊2 × budget / shares⌋. Writing R for what is
 * left and k for the shares left, every step keeps k × minimumShare ≤ R ≤ k × cap:
 * - it holds at the start: budget ≥ shares × minimumShare is validated, and cap ≥ budget / shares
 *   because the mean is at least 1 fen;
 * - each draw lies in [max(min, R − (k−1)·cap), min(cap, R − (k−1)·min, ⌊2R/k⌋)], which is never
 *   empty under the invariant, and whose ends keep the invariant for the k − 1 shares after it;
 * - so the last share (k = 1) has low = high = R: the remainder, within both bounds.
 *
 * Equal mode gives ⌊budget / shares⌋ each and one more fen to as many random shares as the
 * remainder. Throws a ZodError naming the field on bad input.
 */
export function splitRedEnvelope(request: RedEnvelopeSplit, random: RandomInt = cryptoRandomInt): number[] {
  const { budget, shares, mode, minimumShare } = RedEnvelopeSplit.parse(request);
  if (mode === 'equal') {
    const base = Math.floor(budget / shares);
    const extra = budget - base * shares;
    return shuffle(
      Array.from({ length: shares }, (_, i) => base + (i < extra ? 1 : 0)),
      random,
    );
  }
  const cap = Math.floor((2 * budget) / shares);
  const out: number[] = [];
  let left = budget;
  for (let k = shares; k >= 1; k--) {
    const low = Math.max(minimumShare, left - (k - 1) * cap);
    const high = Math.min(cap, left - (k - 1) * minimumShare, Math.floor((2 * left) / k));
    const share = draw(random, low, high);
    out.push(share);
    left -= share;
  }
  // Early draws spread wider than late ones; shuffling makes the index say nothing about size.
  return shuffle(out, random);
}
