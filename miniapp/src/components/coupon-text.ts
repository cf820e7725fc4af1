/**
 * How a coupon reads on the storefront's cards (claim centre, wallet, the product page's
 * sheet): the big face (¥10 or 8折), the condition under it, the scope and the validity in
 * China time. Plain functions, so the product page (main package) can share them cheaply.
 */
import {
  formatChinaTime,
  formatFen,
  percentOffInZhe,
  type CouponBenefit,
  type CouponScope,
  type CouponValidity,
} from '@chatmall/shared';

const yuan = (fen: number) => formatFen(fen, '').replace(/\.00$/, '');

/**
 * The face: `¥10` / `9折`, and what it needs in short lines that never break mid-phrase:
 * `满99可用` `¥99+`, `无门槛` `No minimum`, `最高减30` `up to ¥30`.
 */
export function couponFace(b: CouponBenefit): { value: string; unit: string; conditions: string[] } {
  const threshold = b.kind === 'no_threshold' ? 0 : b.threshold;
  const conditions = threshold > 0 ? [`满${yuan(threshold)}可用`, `¥${yuan(threshold)}+`] : ['无门槛', 'No minimum'];
  if (b.kind === 'percent_off') {
    if (b.maxOff !== null) conditions.push(`最高减${yuan(b.maxOff)}`, `up to ¥${yuan(b.maxOff)}`);
    return { value: percentOffInZhe(b.percentOff).replace('折', ''), unit: '折', conditions };
  }
  return { value: yuan(b.amountOff), unit: '¥', conditions };
}

export function couponScopeText(scope: CouponScope): string {
  switch (scope.type) {
    case 'shop':
      return '全店通用 · Whole shop';
    case 'products':
      return '指定商品可用 · Selected products';
    case 'categories':
      return '指定分类可用 · Selected categories';
  }
}

/** A template's validity: its window in China time, or N days from receipt. */
export function validityText(v: CouponValidity): string {
  return v.kind === 'days'
    ? `领取后${v.days}天有效 · Valid ${v.days} days`
    : `${formatChinaTime(v.from)} 至 ${formatChinaTime(v.until)}`;
}

/** A held coupon's window in China time. */
export function heldValidityText(validFrom: string, validUntil: string, now = Date.now()): string {
  return Date.parse(validFrom) > now
    ? `${formatChinaTime(validFrom)} 至 ${formatChinaTime(validUntil)}`
    : `有效期至 Valid until ${formatChinaTime(validUntil)}`;
}
