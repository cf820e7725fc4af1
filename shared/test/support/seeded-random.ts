import type { RandomInt } from '../../src/red-envelope';

/** A small seeded PRNG (mulberry32): the same seed gives the same draws, so statistics cannot flake. */
export function seededRandomInt(seed: number): RandomInt {
  let a = seed >>> 0;
  return (bound) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    return Math.floor(u * bound);
  };
}
