/**
 * Refunds of an order paid with points, balance (principal and bonus) and WeChat Pay: each part
 * gets its share in whole fen, the shares of any sequence of refunds only grow, never exceed
 * what the part paid, add up to each refund, and a full refund returns every part exactly.
 */
import fc from 'fast-check';
import { refundedShares, refundSplit, type PaidParts } from '../src/pricing/refund';

const parts: PaidParts = { points: 1500, pointsFen: 1500, balancePrincipal: 5000, balanceBonus: 500, wechat: 2601 };
const total = 1500 + 5000 + 500 + 2601;

it('a full refund returns each part exactly; half returns about half, the rounding to WeChat', () => {
  expect(refundedShares(parts, total)).toEqual(parts);
  const half = refundSplit(parts, 0, 4800);
  // 7000 of 9601 is not WeChat's: 3499.6 → 3499 to the others, the 0.6 fen to WeChat.
  expect(half).toEqual({ points: 749, pointsFen: 749, balancePrincipal: 2500, balanceBonus: 250, wechat: 1301 });
  const rest = refundSplit(parts, 4800, total - 4800);
  expect(rest).toEqual({ points: 751, pointsFen: 751, balancePrincipal: 2500, balanceBonus: 250, wechat: 1300 });
});

it('points worth 1 fen per 10 come back in proportion to their fen', () => {
  const p = { points: 10_000, pointsFen: 1_000, balancePrincipal: 0, balanceBonus: 0, wechat: 1_000 };
  expect(refundSplit(p, 0, 1_000)).toEqual({
    points: 5_000,
    pointsFen: 500,
    balancePrincipal: 0,
    balanceBonus: 0,
    wechat: 500,
  });
});

it('an order paid by WeChat alone refunds to WeChat alone; one with no WeChat part never refunds to WeChat', () => {
  expect(
    refundSplit({ points: 0, pointsFen: 0, balancePrincipal: 0, balanceBonus: 0, wechat: 999 }, 100, 333).wechat,
  ).toBe(333);
  const noWechat = { points: 7, pointsFen: 7, balancePrincipal: 1234, balanceBonus: 99, wechat: 0 };
  for (let r = 0; r <= 1340; r += 67) expect(refundSplit(noWechat, r, Math.min(67, 1340 - r)).wechat).toBe(0);
});

it('any sequence of refunds: parts never shrink, never exceed what they paid, sum to each refund, end exact', () => {
  const part = fc.nat({ max: 200_000 });
  fc.assert(
    fc.property(
      fc.record({
        pointsFen: part,
        balancePrincipal: part,
        balanceBonus: part,
        wechat: part,
        ratio: fc.integer({ min: 1, max: 100 }),
      }),
      fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 1, maxLength: 8 }),
      ({ ratio, ...p }, cuts) => {
        const paid: PaidParts = { ...p, points: p.pointsFen * ratio };
        const total = paid.pointsFen + paid.balancePrincipal + paid.balanceBonus + paid.wechat;
        fc.pre(total > 0);
        let before = 0;
        const sums = { points: 0, pointsFen: 0, balancePrincipal: 0, balanceBonus: 0, wechat: 0 };
        for (const c of [...cuts, total]) {
          const amount = Math.min(c, total - before);
          const s = refundSplit(paid, before, amount);
          for (const k of Object.keys(sums) as (keyof PaidParts)[]) {
            expect(s[k]).toBeGreaterThanOrEqual(0);
            sums[k] += s[k];
            expect(sums[k]).toBeLessThanOrEqual(paid[k]);
          }
          expect(s.pointsFen + s.balancePrincipal + s.balanceBonus + s.wechat).toBe(amount);
          before += amount;
        }
        expect(sums).toEqual(paid);
      },
    ),
    { numRuns: 300 },
  );
});
