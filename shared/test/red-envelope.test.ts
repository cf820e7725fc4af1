import fc from 'fast-check';
import { ZodError } from 'zod';
import { cryptoRandomInt, RedEnvelopeSplit, splitRedEnvelope, type RandomInt } from '../src/red-envelope';
import { seededRandomInt } from './support/seeded-random';

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/** Random sources that push every draw to an end of its range: the split must still hold. */
const lowest: RandomInt = () => 0;
const highest: RandomInt = (bound) => bound - 1;

/** Budget, shares and minimum such that budget ≥ shares × minimum, small and large. */
const packArb = fc
  .record({
    shares: fc.integer({ min: 1, max: 200 }),
    minimumShare: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 2_000 })),
    slack: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 500_000 })),
  })
  .map(({ shares, minimumShare, slack }) => ({ shares, minimumShare, budget: shares * minimumShare + slack }))
  .filter((p) => p.budget <= 9_999_999);

const sourceArb = fc.oneof(
  fc.integer().map((seed) => seededRandomInt(seed)),
  fc.constant(lowest),
  fc.constant(highest),
);

describe('red-envelope split: examples', () => {
  it('random: 100 shares of ¥100 with a ¥0.50 minimum add up exactly and stay within both bounds', () => {
    const shares = splitRedEnvelope(
      { budget: 10_000, shares: 100, mode: 'random', minimumShare: 50 },
      seededRandomInt(1),
    );
    expect(shares).toHaveLength(100);
    expect(sum(shares)).toBe(10_000);
    expect(Math.min(...shares)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...shares)).toBeLessThanOrEqual(200);
    expect(new Set(shares).size).toBeGreaterThan(20); // actually random, not near-equal
  });

  it('a source that always draws the lowest, or the highest, still leaves a last share within both bounds', () => {
    const pack = { budget: 1000, shares: 10, mode: 'random' as const, minimumShare: 1 };
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    // Lowest: the early shares take the minimum until the rest would need more than 2× the mean each.
    expect(sorted(splitRedEnvelope(pack, lowest))).toEqual([1, 1, 1, 1, 1, 195, 200, 200, 200, 200]);
    // Highest: each share takes twice the mean of what is left, and the last is the minimum.
    expect(sorted(splitRedEnvelope(pack, highest))).toEqual([1, 22, 45, 67, 89, 111, 133, 155, 177, 200]);
  });

  it('random with no room to vary gives everyone the minimum', () => {
    expect(splitRedEnvelope({ budget: 300, shares: 3, mode: 'random', minimumShare: 100 }, seededRandomInt(2))).toEqual(
      [100, 100, 100],
    );
  });

  it('equal: the budget divided, the remainder fen one each to random shares', () => {
    const shares = splitRedEnvelope({ budget: 1003, shares: 10, mode: 'equal', minimumShare: 1 }, seededRandomInt(3));
    expect(sum(shares)).toBe(1003);
    expect([...shares].sort((a, b) => a - b)).toEqual([100, 100, 100, 100, 100, 100, 100, 101, 101, 101]);
  });

  it('draws from the CSPRNG by default', () => {
    const shares = splitRedEnvelope({ budget: 5000, shares: 20, mode: 'random', minimumShare: 10 });
    expect(sum(shares)).toBe(5000);
    const seen = new Set(Array.from({ length: 2000 }, () => cryptoRandomInt(7)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(cryptoRandomInt(1)).toBe(0);
    expect(() => cryptoRandomInt(0)).toThrow(RangeError);
    expect(() => cryptoRandomInt(2 ** 32 + 1)).toThrow(RangeError);
  });

  it('refuses a random source that answers outside its range', () => {
    expect(() =>
      splitRedEnvelope({ budget: 1000, shares: 10, mode: 'random', minimumShare: 1 }, (bound) => bound),
    ).toThrow(RangeError);
    expect(() => splitRedEnvelope({ budget: 1000, shares: 10, mode: 'random', minimumShare: 1 }, () => 0.5)).toThrow(
      RangeError,
    );
  });
});

describe('red-envelope split: input validation names the field', () => {
  const messages = (input: unknown) => {
    const r = RedEnvelopeSplit.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('refuses a budget below shares × minimum', () => {
    expect(messages({ budget: 999, shares: 10, mode: 'random', minimumShare: 100 })).toEqual([
      'budget: budget must be at least shares × minimumShare (1000 fen)',
    ]);
    expect(() => splitRedEnvelope({ budget: 999, shares: 10, mode: 'equal', minimumShare: 100 })).toThrow(ZodError);
  });

  it('refuses non-integers, zeros and amounts beyond the money limits', () => {
    expect(messages({ budget: 10.5, shares: 1, mode: 'random', minimumShare: 1 })).toEqual([
      'budget: budget must be an integer number of fen',
    ]);
    expect(messages({ budget: 10_000_000, shares: 1, mode: 'random', minimumShare: 1 })).toEqual([
      'budget: budget must be at most 9999999 fen',
    ]);
    expect(messages({ budget: 100, shares: 0, mode: 'random', minimumShare: 1 })).toEqual([
      'shares: shares must be at least 1',
    ]);
    expect(messages({ budget: 100, shares: 10_001, mode: 'random', minimumShare: 1 })).toContain(
      'shares: shares must be at most 10000',
    );
    expect(messages({ budget: 100, shares: 1, mode: 'random', minimumShare: 0 })).toEqual([
      'minimumShare: minimumShare must be at least 1 fen',
    ]);
    expect(messages({ budget: 100, shares: 1, mode: 'lucky', minimumShare: 1 })[0]).toMatch(/^mode: /);
  });
});

describe('red-envelope split: properties (fast-check)', () => {
  it('random mode: sum exact, each ≥ minimum, none above twice the mean, one per share — even with extreme random sources', () => {
    fc.assert(
      fc.property(packArb, sourceArb, (pack, random) => {
        const shares = splitRedEnvelope({ ...pack, mode: 'random' }, random);
        expect(shares).toHaveLength(pack.shares);
        expect(sum(shares)).toBe(pack.budget);
        // One expect per split, not per share: Jest's matchers are slow in a loop this hot.
        const outOfBounds = shares.filter(
          (s) => !Number.isInteger(s) || s < pack.minimumShare || s * pack.shares > 2 * pack.budget,
        );
        expect(outOfBounds).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('equal mode: sum exact, each ≥ minimum, shares differ by at most one fen', () => {
    fc.assert(
      fc.property(packArb, sourceArb, (pack, random) => {
        const shares = splitRedEnvelope({ ...pack, mode: 'equal' }, random);
        expect(shares).toHaveLength(pack.shares);
        expect(sum(shares)).toBe(pack.budget);
        expect(Math.min(...shares)).toBeGreaterThanOrEqual(pack.minimumShare);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });

  // Seeded sources make these statistics deterministic: they cannot flake, and a broken
  // shuffle (the largest share always first, say) fails them by a wide margin.
  it('the order is random: the largest share lands on every position about equally often', () => {
    const positions = 10;
    const runs = 4000;
    const counts = Array(positions).fill(0);
    const random = seededRandomInt(20261130);
    for (let r = 0; r < runs; r++) {
      const shares = splitRedEnvelope({ budget: 10_000, shares: positions, mode: 'random', minimumShare: 1 }, random);
      counts[shares.indexOf(Math.max(...shares))] += 1;
    }
    const expected = runs / positions;
    const chiSquare = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: 27.88 is the 0.1% critical value.
    expect(chiSquare).toBeLessThan(27.88);
  });

  it('the order is random: the first share’s mean equals the overall mean, in random and equal mode', () => {
    for (const mode of ['random', 'equal'] as const) {
      const random = seededRandomInt(42);
      const firsts: number[] = [];
      for (let r = 0; r < 3000; r++)
        firsts.push(splitRedEnvelope({ budget: 1005, shares: 10, mode, minimumShare: 1 }, random)[0]);
      const mean = sum(firsts) / firsts.length;
      expect(Math.abs(mean - 100.5)).toBeLessThan(mode === 'random' ? 3 : 0.1);
    }
  });
});
