/**
 * A refund of an order paid in parts (DESIGN.md "Pricing order": points, balance principal,
 * balance bonus, WeChat Pay) returns each part in proportion to what it paid. Shares are whole
 * fen, worked out on the cumulative amount refunded so each part only ever grows and the last
 * refund returns exactly what is left: first the WeChat part against the rest (the rounding
 * remainder goes to WeChat), then points against balance, then bonus against principal, each
 * rounded down. Points come back as points, in proportion to the fen their share is worth.
 */
import { mulDivFloor } from './allocate';

export interface PaidParts {
  /** Points spent and the fen they paid. */
  points: number;
  pointsFen: number;
  balancePrincipal: number;
  balanceBonus: number;
  wechat: number;
}

export type RefundParts = PaidParts;

/** Each part's share of `refunded` fen of the order's total (all parts summed), cumulatively. */
export function refundedShares(parts: PaidParts, refunded: number): RefundParts {
  const total = parts.pointsFen + parts.balancePrincipal + parts.balanceBonus + parts.wechat;
  if (!Number.isSafeInteger(refunded) || refunded < 0 || refunded > total)
    throw new RangeError(`refunded must be whole fen between 0 and the order's ${total}`);
  if (refunded === total) return { ...parts };
  const others = total - parts.wechat;
  const toOthers = others === 0 ? 0 : mulDivFloor(refunded, others, total);
  const balance = parts.balancePrincipal + parts.balanceBonus;
  const toPointsFen = others === 0 ? 0 : mulDivFloor(toOthers, parts.pointsFen, others);
  const toBalance = toOthers - toPointsFen;
  const toBonus = balance === 0 ? 0 : mulDivFloor(toBalance, parts.balanceBonus, balance);
  return {
    points: parts.pointsFen === 0 ? 0 : mulDivFloor(parts.points, toPointsFen, parts.pointsFen),
    pointsFen: toPointsFen,
    balancePrincipal: toBalance - toBonus,
    balanceBonus: toBonus,
    wechat: refunded - toOthers,
  };
}

/** The parts of one refund of `amount` fen after `refundedBefore` fen were refunded. */
export function refundSplit(parts: PaidParts, refundedBefore: number, amount: number): RefundParts {
  const a = refundedShares(parts, refundedBefore);
  const b = refundedShares(parts, refundedBefore + amount);
  return {
    points: b.points - a.points,
    pointsFen: b.pointsFen - a.pointsFen,
    balancePrincipal: b.balancePrincipal - a.balancePrincipal,
    balanceBonus: b.balanceBonus - a.balanceBonus,
    wechat: b.wechat - a.wechat,
  };
}
