import { useCallback, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { chinaDate, orderStatusLabel, type Buyer, type MerchantMe, type OrderStatus } from '@chatmall/shared';
import { StateView } from '../../components/StateView';
import { api, errorMessage } from '../../services/api';
import { useShop } from '../../services/shop';
import { syncCartBadgeOnShow } from '../../services/cart-badge';
import {
  addressesUrl,
  couponCentreUrl,
  favouritesUrl,
  memberUrl,
  merchantUrl,
  myCouponsUrl,
  ordersUrl,
  storesUrl,
} from '../../routes';
import './index.css';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; buyer: Buyer };

/** Order shortcuts, in the order a parcel moves. */
const shortcuts: { status: OrderStatus; icon: string }[] = [
  { status: 'PENDING_PAYMENT', icon: '¥' },
  { status: 'PAID', icon: '◫' },
  { status: 'SHIPPED', icon: '➜' },
  { status: 'COMPLETED', icon: '✓' },
];

export default function MePage() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  // Whether this WeChat is a staff member's (the merchant entry); quietly absent when unknown.
  const [merchant, setMerchant] = useState<MerchantMe>({ bound: false });
  const shop = useShop();

  const fetchMe = useCallback(async () => {
    try {
      setLoad({ status: 'ready', buyer: await api.me({}) });
    } catch (err) {
      setLoad({ status: 'error', message: errorMessage(err) });
      return;
    }
    setMerchant(await api.merchantMe({}).catch((): MerchantMe => ({ bound: false })));
  }, []);

  useDidShow(() => {
    void fetchMe();
    syncCartBadgeOnShow();
  });

  if (load.status === 'loading') return <StateView kind="loading" text="登录中… Signing in" />;
  if (load.status === 'error') return <StateView kind="error" text={load.message} onRetry={() => void fetchMe()} />;

  const { buyer } = load;
  const go = (url: string) => void Taro.navigateTo({ url });

  return (
    <View className="me">
      <View className="me-header">
        <View className="me-header__avatar">{(buyer.nickname ?? '茶').slice(0, 1)}</View>
        <View className="me-header__who">
          <Text className="me-header__name">{buyer.nickname ?? '微信用户 WeChat buyer'}</Text>
          <Text className="me-header__since">{chinaDate(buyer.createdAt)} 加入 · Member since</Text>
        </View>
      </View>

      <View className="card me-orders">
        <View className="me-orders__head" onClick={() => go(ordersUrl())}>
          <Text className="card__title">我的订单 My orders</Text>
          <Text className="muted">全部订单 All ›</Text>
        </View>
        <View className="me-orders__row">
          {shortcuts.map((s) => {
            const [zh, en] = orderStatusLabel[s.status].split(' ');
            return (
              <View
                key={s.status}
                className={`me-orders__item me-orders__item--${s.status}`}
                onClick={() => go(ordersUrl(s.status))}
              >
                <Text className="me-orders__icon">{s.icon}</Text>
                <Text className="me-orders__label">{zh}</Text>
                <Text className="me-orders__label-en">{en}</Text>
              </View>
            );
          })}
        </View>
      </View>

      <View className="card me-links">
        <View className="me-link me-link--member" onClick={() => go(memberUrl('memberCentre'))}>
          <Text className="me-link__text">会员中心 Membership</Text>
          <Text className="muted">积分 · 余额 · 会员码 ›</Text>
        </View>
        <View className="me-link me-link--favourites" onClick={() => go(favouritesUrl())}>
          <Text className="me-link__text">我的收藏 Favourites</Text>
          <Text className="muted">›</Text>
        </View>
        <View className="me-link me-link--coupons" onClick={() => go(myCouponsUrl())}>
          <Text className="me-link__text">我的优惠券 My coupons</Text>
          <Text className="muted">›</Text>
        </View>
        <View className="me-link me-link--coupon-centre" onClick={() => go(couponCentreUrl())}>
          <Text className="me-link__text">领券中心 Coupon centre</Text>
          <Text className="muted">›</Text>
        </View>
        <View className="me-link me-link--stores" onClick={() => go(storesUrl())}>
          <Text className="me-link__text">门店 Stores</Text>
          <Text className="muted">附近门店 · 导航 ›</Text>
        </View>
        <View className="me-link me-link--addresses" onClick={() => go(addressesUrl())}>
          <Text className="me-link__text">收货地址 Addresses</Text>
          <Text className="muted">›</Text>
        </View>
        {merchant.bound && (
          <View className="me-link me-link--merchant" onClick={() => go(merchantUrl('merchantHome'))}>
            <Text className="me-link__text">商家后台 Merchant</Text>
            <Text className="muted">{merchant.staff.displayName} ›</Text>
          </View>
        )}
        {shop?.servicePhone && (
          <View
            className="me-link me-link--service"
            onClick={() => void Taro.makePhoneCall({ phoneNumber: shop.servicePhone! }).catch(() => undefined)}
          >
            <Text className="me-link__text">联系客服 Customer service</Text>
            <Text className="muted">{shop.servicePhone} ›</Text>
          </View>
        )}
      </View>
    </View>
  );
}
