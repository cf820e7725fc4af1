/**
 * What the membership pages say, Chinese first: ledger kinds, top-up states, how a level's
 * threshold reads in its basis (spend in yuan, or growth points), and a request key per tap.
 */
import { formatFen, type LevelBasis, type PointsEntryKind, type TopUp, type WalletEntryKind } from '@chatmall/shared';

export const pointsKindLabel: Record<PointsEntryKind, string> = {
  EARN: '下单获得 Earned',
  REVERSE: '退款扣回 Reversed',
  REDEEM: '抵扣使用 Redeemed',
  RESTORE: '订单关闭退回 Restored',
  ADJUST: '人工调整 Adjusted',
  EXPIRE: '过期 Expired',
  OFFLINE: '门店消费 In store',
};

export const walletKindLabel: Record<WalletEntryKind, string> = {
  TOP_UP: '充值 Top-up',
  TOP_UP_REFUND: '充值退款 Top-up refund',
  ORDER_PAYMENT: '订单支付 Order payment',
  ORDER_REFUND: '订单退款 Order refund',
  COUNTER_PAYMENT: '门店付款 Paid in store',
};

export const topUpStatusLabel: Record<TopUp['status'], string> = {
  PENDING: '待支付 Pending',
  PAID: '已到账 Paid',
  REFUNDING: '退款中 Refunding',
  REFUNDED: '已退款 Refunded',
  CLOSED: '未支付已关闭 Closed unpaid',
};

export const basisLabel: Record<LevelBasis, string> = {
  spend: '累计消费 Spend',
  growth: '成长值 Growth',
};

/** A threshold or a distance to it: ¥1,000.00 of spend, or 1000 growth. */
export function basisAmount(basis: LevelBasis, n: number): string {
  return basis === 'spend' ? formatFen(n) : `${n} 成长值`;
}

/** `+120` / `-30`: a ledger change. */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** `+¥10.00` / `-¥5.00`. */
export function signedFen(n: number): string {
  return n > 0 ? `+${formatFen(n)}` : formatFen(n);
}

/** One key per action the staff member starts: a retry of the same action sends the same key. */
export function requestKey(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}
