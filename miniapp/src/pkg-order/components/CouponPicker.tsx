import { Text, View } from '@tarojs/components';
import { formatFen, type CheckoutPrice } from '@chatmall/shared';
import './CouponPicker.css';

/** What the buyer asks checkout for: the best coupon, none, or one they picked (the server re-prices). */
export type CouponAsk = { kind: 'best' } | { kind: 'none' } | { kind: 'coupon'; id: string };

/** The request fields for an ask: `couponId`, `coupon: 'none'`, or nothing (the best). */
export function couponFields(ask: CouponAsk): { couponId?: string; coupon?: 'none' } {
  if (ask.kind === 'coupon') return { couponId: ask.id };
  return ask.kind === 'none' ? { coupon: 'none' } : {};
}

/** The checkout row: the coupon in use and what it takes off, or why there is none. */
export function CouponRow(props: { price: CheckoutPrice | null; ask: CouponAsk; onOpen: () => void }) {
  const { price, ask } = props;
  const usable = price ? price.coupons.filter((v) => v.applicable).length : 0;
  let value: string;
  let on = false;
  if (!price) value = '核对中… Checking';
  else if (price.coupon) {
    value = `−${formatFen(price.couponDiscount)}`;
    on = true;
  } else if (ask.kind === 'none' && usable > 0) value = '不使用 Not used';
  else value = price.coupons.length === 0 ? '暂无优惠券 None' : '无可用 None usable';
  return (
    <View className="card checkout-coupon" onClick={() => price && price.coupons.length > 0 && props.onOpen()}>
      <View className="checkout-coupon__left">
        <Text className="card__title">优惠券 Coupon</Text>
        {price && usable > 0 && <Text className="checkout-coupon__count">{usable} 张可用 · usable</Text>}
      </View>
      <View className="checkout-coupon__right">
        <View className="checkout-coupon__value-box">
          <Text className={`checkout-coupon__value${on ? ' checkout-coupon__value--on' : ''}`}>{value}</Text>
          {price?.coupon && <Text className="checkout-coupon__title">{price.coupon.title}</Text>}
        </View>
        {price && price.coupons.length > 0 && <Text className="muted">›</Text>}
      </View>
    </View>
  );
}

/**
 * The sheet: usable coupons (the best one marked, each with what it takes off), 不使用优惠券,
 * and the ones that do not apply with the reason (差 ¥12.00 可用).
 */
export function CouponPicker(props: {
  price: CheckoutPrice;
  /** The coupon the server picks when asked for the best (marked 最优). */
  bestId: string | null;
  onPick: (ask: CouponAsk) => void;
  onClose: () => void;
}) {
  const { price, bestId } = props;
  const chosen = price.coupon?.couponId ?? null;
  const usable = price.coupons.filter((v) => v.applicable);
  const refused = price.coupons.filter((v) => !v.applicable);
  return (
    <View className="coupon-picker" catchMove>
      <View className="coupon-picker__mask" onClick={props.onClose} />
      <View className="coupon-picker__panel">
        <View className="coupon-picker__head">
          <Text className="card__title">选择优惠券 Choose a coupon</Text>
          <Text className="coupon-picker__close" onClick={props.onClose}>
            ✕
          </Text>
        </View>
        <View className="coupon-picker__list">
          {usable.map((v) => (
            <View
              key={v.couponId}
              className={`coupon-option${chosen === v.couponId ? ' coupon-option--on' : ''}`}
              onClick={() =>
                props.onPick(v.couponId === bestId ? { kind: 'best' } : { kind: 'coupon', id: v.couponId })
              }
            >
              <View className="coupon-option__body">
                <View className="coupon-option__head">
                  {v.couponId === bestId && <Text className="coupon-option__best">最优 Best</Text>}
                  <Text className="coupon-option__title">{v.title}</Text>
                </View>
                {!v.withMemberDiscount && (
                  <Text className="coupon-option__note">不与会员折扣同享 · No member discount</Text>
                )}
                <Text className="coupon-option__note">用后应付 {formatFen(v.orderTotal ?? 0)} · Total with it</Text>
              </View>
              <Text className="coupon-option__off">−{formatFen(v.discount ?? 0)}</Text>
              <Text className="coupon-option__radio">{chosen === v.couponId ? '●' : '○'}</Text>
            </View>
          ))}
          <View
            className={`coupon-option coupon-option--none${chosen === null ? ' coupon-option--on' : ''}`}
            onClick={() => props.onPick({ kind: 'none' })}
          >
            <View className="coupon-option__body">
              <Text className="coupon-option__title">不使用优惠券 Don’t use a coupon</Text>
            </View>
            <Text className="coupon-option__radio">{chosen === null ? '●' : '○'}</Text>
          </View>
          {refused.length > 0 && (
            <Text className="coupon-picker__section">不可用 Not usable here ({refused.length})</Text>
          )}
          {refused.map((v) => (
            <View key={v.couponId} className="coupon-option coupon-option--refused">
              <View className="coupon-option__body">
                <Text className="coupon-option__title">{v.title}</Text>
                <Text className="coupon-option__reason">{v.refusal?.message ?? '不可用 Not usable'}</Text>
              </View>
            </View>
          ))}
        </View>
      </View>
    </View>
  );
}
