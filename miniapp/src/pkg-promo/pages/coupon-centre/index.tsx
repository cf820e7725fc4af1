import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { ClaimableCoupon } from '@chatmall/shared';
import { claimCount, claimLabel, claimOne, claimState } from '../../../components/claim';
import { couponScopeText, validityText } from '../../../components/coupon-text';
import { CouponTicket } from '../../../components/CouponTicket';
import { H5NavBar } from '../../../components/H5NavBar';
import { StateView } from '../../../components/StateView';
import { api, errorMessage, showError } from '../../../services/api';
import { useLatestRequest } from '../../../hooks/useLatestRequest';
import { myCouponsUrl, routes, tabUrl } from '../../../routes';
import '../../promo.css';

type Load =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: ClaimableCoupon[] };

/** 领券中心: every coupon the shop offers to claim, with what this buyer already holds of each. */
export default function CouponCentrePage() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [busy, setBusy] = useState<string | null>(null);
  const latest = useLatestRequest();

  const fetchList = useCallback(
    async (quiet = false) => {
      const isLatest = latest.supersede();
      if (!quiet) setLoad({ status: 'loading' });
      try {
        const { items } = await api.claimCentre({});
        if (isLatest()) setLoad({ status: 'ready', items });
      } catch (err) {
        if (isLatest()) setLoad({ status: 'error', message: errorMessage(err) });
      }
    },
    [latest],
  );

  useDidShow(() => void fetchList(load.status === 'ready'));
  usePullDownRefresh(() => void fetchList(true).finally(() => Taro.stopPullDownRefresh()));

  const claim = async (c: ClaimableCoupon) => {
    if (busy || claimState(c) !== 'can' || load.status !== 'ready') return;
    setBusy(c.templateId);
    try {
      const after = await claimOne(c);
      setLoad((l) =>
        l.status === 'ready' ? { ...l, items: l.items.map((x) => (x.templateId === c.templateId ? after : x)) } : l,
      );
      void Taro.showToast({ title: '领取成功 · Claimed', icon: 'success' });
    } catch (err) {
      showError(err); // 已领完 / 已达上限: the list as it stands now
      void fetchList(true);
    } finally {
      setBusy(null);
    }
  };

  const head = (
    <>
      <H5NavBar title="领券中心 Coupon centre" />
      <View className="promo-banner">
        <Text className="promo-banner__title">
          领券中心 <Text className="promo-banner__title-en">Coupon centre</Text>
        </Text>
        <Text className="promo-banner__en">先领券，再下单 · Claim first, then shop</Text>
        <View className="promo-banner__link" onClick={() => void Taro.navigateTo({ url: myCouponsUrl() })}>
          我的优惠券 My coupons ›
        </View>
      </View>
    </>
  );

  if (load.status !== 'ready' || load.items.length === 0)
    return (
      <View className={`promo-page coupon-centre coupon-centre--${load.status === 'ready' ? 'empty' : load.status}`}>
        {head}
        {load.status === 'loading' ? (
          <StateView kind="loading" />
        ) : load.status === 'error' ? (
          <StateView kind="error" text={load.message} onRetry={() => void fetchList()} />
        ) : (
          <>
            <StateView kind="empty" text="暂时没有可领的券 · No coupons to claim right now" />
            <View
              className="btn btn--ghost promo-empty-btn"
              onClick={() => void Taro.switchTab({ url: tabUrl(routes.home) })}
            >
              去逛逛 Browse the shop
            </View>
          </>
        )}
      </View>
    );

  return (
    <View className="promo-page coupon-centre">
      {head}
      <View className="promo-list">
        {load.items.map((c) => {
          const state = claimState(c);
          const count = claimCount(c);
          return (
            <CouponTicket
              key={c.templateId}
              className={`centre-coupon centre-coupon--${state}`}
              benefit={c.benefit}
              title={c.title}
              lines={[
                c.benefitText,
                couponScopeText(c.scope),
                c.stacksWithMemberDiscount ? '' : '不与会员折扣同享 · No member discount',
                validityText(c.validity),
                count ?? (c.left <= 20 && c.left > 0 ? `仅剩 ${c.left} 张 · ${c.left} left` : ''),
              ].filter(Boolean)}
              dim={state === 'gone'}
              action={
                <View
                  className={`coupon-btn centre-coupon__claim${state === 'can' ? '' : ' coupon-btn--done'}`}
                  onClick={() => void claim(c)}
                >
                  {busy === c.templateId ? '领取中… Claiming' : claimLabel(c)}
                </View>
              }
            />
          );
        })}
        <View className="list-footer">没有更多了 · No more</View>
      </View>
    </View>
  );
}
