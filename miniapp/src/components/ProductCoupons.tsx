import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { ClaimableCoupon } from '@chatmall/shared';
import { api, showError } from '../services/api';
import { claimCount, claimLabel, claimOne, claimState } from './claim';
import { couponScopeText, validityText } from './coupon-text';
import { CouponTicket } from './CouponTicket';
import './ProductCoupons.css';

/**
 * 领券 on the product page: a row with the coupons that cover this product (none: no row),
 * opening a sheet to claim them. Quiet when the list cannot be read: the page works without it.
 */
export function ProductCoupons({ productId }: { productId: string }) {
  const [items, setItems] = useState<ClaimableCoupon[] | null>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .productCoupons({ params: { id: productId } })
      .then((list) => live && setItems(list.items))
      .catch(() => live && setItems([]));
    return () => {
      live = false;
    };
  }, [productId]);

  if (!items || items.length === 0) return null;

  const claim = async (c: ClaimableCoupon) => {
    if (busy || claimState(c) !== 'can') return;
    setBusy(c.templateId);
    try {
      const after = await claimOne(c);
      setItems((list) => list && list.map((x) => (x.templateId === c.templateId ? after : x)));
      void Taro.showToast({ title: '领取成功 · Claimed', icon: 'success' });
    } catch (err) {
      showError(err);
      const fresh = await api.productCoupons({ params: { id: productId } }).catch(() => null);
      if (fresh) setItems(fresh.items);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <View className="card product-coupons" onClick={() => setOpen(true)}>
        <Text className="product-coupons__label">领券 Coupons</Text>
        <View className="product-coupons__chips">
          {items.slice(0, 3).map((c) => (
            // The Chinese half of the benefit in words: 满99减10, 无门槛减5, 9折.
            <Text key={c.templateId} className="product-coupons__chip">
              {c.benefitText.split(' (')[0]}
            </Text>
          ))}
        </View>
        <Text className="muted">›</Text>
      </View>
      {open && (
        <View className="coupon-sheet" catchMove>
          <View className="coupon-sheet__mask" onClick={() => setOpen(false)} />
          <View className="coupon-sheet__panel">
            <View className="coupon-sheet__head">
              <Text className="card__title">可领优惠券 Coupons for this product</Text>
              <Text className="coupon-sheet__close" onClick={() => setOpen(false)}>
                ✕
              </Text>
            </View>
            <View className="coupon-sheet__list">
              {items.map((c) => {
                const state = claimState(c);
                const count = claimCount(c);
                return (
                  <CouponTicket
                    key={c.templateId}
                    className="coupon-sheet__item"
                    benefit={c.benefit}
                    title={c.title}
                    lines={[
                      c.benefitText,
                      couponScopeText(c.scope),
                      validityText(c.validity),
                      ...(count ? [count] : []),
                    ]}
                    dim={state === 'gone'}
                    action={
                      <View
                        className={`coupon-btn${state === 'can' ? '' : ' coupon-btn--done'}`}
                        onClick={() => void claim(c)}
                      >
                        {busy === c.templateId ? '领取中… Claiming' : claimLabel(c)}
                      </View>
                    }
                  />
                );
              })}
            </View>
          </View>
        </View>
      )}
    </>
  );
}
