/**
 * Claiming a coupon from the claim centre or the product page's sheet: one idempotency key
 * per tap (a retried request claims once), and what the button says after.
 */
import type { ClaimableCoupon } from '@chatmall/shared';
import { api } from '../services/api';
import { randomKey } from '../services/session';

/** can: claim now; limit: this buyer holds as many as allowed; gone: none left for anyone. */
export function claimState(c: ClaimableCoupon): 'can' | 'limit' | 'gone' {
  if (c.claimed >= c.perBuyerLimit) return 'limit';
  if (c.left <= 0) return 'gone';
  return c.canClaim ? 'can' : 'limit';
}

export function claimLabel(c: ClaimableCoupon): string {
  switch (claimState(c)) {
    case 'can':
      return c.claimed > 0 ? '再领一张 Claim again' : '立即领取 Claim';
    case 'limit':
      return '已领取 Claimed';
    case 'gone':
      return '已领完 All gone';
  }
}

/** "已领 1/2" under a coupon a buyer may hold more than one of; "limit reached" once they hold all. */
export function claimCount(c: ClaimableCoupon): string | null {
  if (c.claimed === 0) return null;
  const base = `已领 ${c.claimed}/${c.perBuyerLimit} · Claimed ${c.claimed} of ${c.perBuyerLimit}`;
  return c.claimed >= c.perBuyerLimit && c.perBuyerLimit > 1 ? `${base} (limit reached)` : base;
}

/** Claims one; the coupon as it stands afterwards (the caller refreshes the list on a refusal). */
export async function claimOne(c: ClaimableCoupon): Promise<ClaimableCoupon> {
  const res = await api.claimCoupon({ params: { id: c.templateId }, body: { requestKey: randomKey('cl', 24) } });
  const left = Math.max(0, c.left - 1);
  return {
    ...c,
    claimed: res.claimed,
    perBuyerLimit: res.perBuyerLimit,
    left,
    canClaim: res.claimed < res.perBuyerLimit && left > 0,
  };
}
