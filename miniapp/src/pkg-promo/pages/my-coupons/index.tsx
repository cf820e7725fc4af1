import { useCallback, useEffect, useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import {
  couponSourceLabel,
  couponStatusLabel,
  formatChinaTime,
  WalletTab,
  type BuyerCoupon,
  type WalletPage,
} from '@chatmall/shared';
import { couponScopeText, heldValidityText } from '../../../components/coupon-text';
import { CouponTicket } from '../../../components/CouponTicket';
import { H5NavBar } from '../../../components/H5NavBar';
import { StateView } from '../../../components/StateView';
import { api, errorMessage, showError } from '../../../services/api';
import { useLatestRequest } from '../../../hooks/useLatestRequest';
import { couponCentreUrl, orderUrl, routeParam } from '../../../routes';
import { goUseCoupon } from '../../../components/coupon-use';
import '../../promo.css';

const tabs: { tab: WalletTab; zh: string; en: string }[] = [
  { tab: 'usable', zh: '可使用', en: 'Usable' },
  { tab: 'used', zh: '已使用', en: 'Used' },
  { tab: 'expired', zh: '已过期', en: 'Expired' },
];
const empty: Record<WalletTab, string> = {
  usable: '暂无可用优惠券 · No usable coupons',
  used: '还没有用过优惠券 · No coupons used yet',
  expired: '没有过期的优惠券 · No expired coupons',
};

type List =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; page: WalletPage; loadingMore: boolean };

/** 我的优惠券: the buyer's coupons by tab, each with where it came from and how long it lasts (China time). */
export default function MyCouponsPage() {
  const asked = WalletTab.safeParse(routeParam(useRouter().params.tab));
  const [tab, setTab] = useState<WalletTab>(asked.success ? asked.data : 'usable');
  const [list, setList] = useState<List>({ status: 'loading' });
  const [counts, setCounts] = useState<WalletPage['counts'] | null>(null);
  const latest = useLatestRequest();

  const loadFirst = useCallback(
    async (forTab: WalletTab, quiet = false) => {
      const isLatest = latest.supersede();
      if (!quiet) setList({ status: 'loading' });
      try {
        const page = await api.myCoupons({ query: { tab: forTab, limit: 20 } });
        if (!isLatest()) return;
        setList({ status: 'ready', page, loadingMore: false });
        setCounts(page.counts);
      } catch (err) {
        if (isLatest()) setList({ status: 'error', message: errorMessage(err) });
      }
    },
    [latest],
  );

  useEffect(() => {
    void loadFirst(tab);
  }, [tab, loadFirst]);
  usePullDownRefresh(() => void loadFirst(tab, true).finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => {
    if (list.status !== 'ready' || list.loadingMore || !list.page.nextCursor) return;
    const isLatest = latest.supersede();
    setList({ ...list, loadingMore: true });
    api
      .myCoupons({ query: { tab, cursor: list.page.nextCursor, limit: 20 } })
      .then((more) => {
        if (isLatest())
          setList({
            status: 'ready',
            loadingMore: false,
            page: { ...more, items: [...list.page.items, ...more.items] },
          });
      })
      .catch((err: unknown) => {
        showError(err);
        if (isLatest()) setList({ ...list, loadingMore: false });
      });
  });

  const lines = (c: BuyerCoupon): string[] => {
    const out = [c.benefitText, couponScopeText(c.scope)];
    if (c.status === 'USED' && c.usedAt) out.push(`${formatChinaTime(c.usedAt)} 已使用 · Used`);
    else if (c.status === 'EXPIRED') out.push(`${formatChinaTime(c.validUntil)} 已过期 · Expired`);
    else out.push(heldValidityText(c.validFrom, c.validUntil));
    out.push(`来源 Source · ${couponSourceLabel[c.source]}`);
    return out;
  };

  return (
    <View className={`promo-page my-coupons my-coupons--${list.status}`}>
      <H5NavBar title="我的优惠券 My coupons" />
      <View className="promo-tabs">
        {tabs.map((t) => (
          <View
            key={t.tab}
            className={`promo-tab promo-tab--${t.tab}${t.tab === tab ? ' promo-tab--on' : ''}`}
            onClick={() => setTab(t.tab)}
          >
            <Text>
              {t.zh}
              {counts ? ` ${counts[t.tab]}` : ''}
            </Text>
            <Text className="promo-tab__en">{t.en}</Text>
          </View>
        ))}
      </View>
      {list.status === 'loading' ? (
        <StateView kind="loading" />
      ) : list.status === 'error' ? (
        <StateView kind="error" text={list.message} onRetry={() => void loadFirst(tab)} />
      ) : list.page.items.length === 0 ? (
        <>
          <StateView kind="empty" text={empty[tab]} />
          <View
            className="btn btn--ghost promo-empty-btn"
            onClick={() => void Taro.navigateTo({ url: couponCentreUrl() })}
          >
            去领券 Claim coupons
          </View>
        </>
      ) : (
        <View className="promo-list">
          {list.page.items.map((c) => (
            <CouponTicket
              key={c.id}
              className={`wallet-coupon wallet-coupon--${c.status}`}
              benefit={c.benefit}
              title={c.title}
              lines={lines(c)}
              dim={tab !== 'usable'}
              action={
                c.status === 'USABLE' ? (
                  <View
                    className="coupon-btn coupon-btn--ghost wallet-coupon__use"
                    onClick={() => goUseCoupon(c.scope)}
                  >
                    去使用 Use
                  </View>
                ) : c.status === 'LOCKED' && c.orderId ? (
                  <Text
                    className="wallet-coupon__status"
                    onClick={() => void Taro.navigateTo({ url: orderUrl(c.orderId!) })}
                  >
                    {couponStatusLabel.LOCKED} ›
                  </Text>
                ) : undefined
              }
            />
          ))}
          <View className="list-footer">
            {list.loadingMore
              ? '加载中… Loading'
              : list.page.nextCursor
                ? '上拉加载更多 · Pull up for more'
                : '没有更多了 · No more'}
          </View>
        </View>
      )}
    </View>
  );
}
