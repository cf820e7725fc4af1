import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { formatFen, type DashboardToday, type MerchantMe } from '@chatmall/shared';
import { PageFrame, PendingPage, type Pending } from '../../../components/PendingPage';
import { StateView } from '../../../components/StateView';
import { api, errorMessage } from '../../../services/api';
import { merchantBindUrl, merchantUrl } from '../../../routes';
import { mayUse, roleLabel } from '../../merchant';
import '../../merchant.css';
import './index.css';

type Load =
  | Pending
  | { status: 'unbound' }
  | { status: 'ready'; me: Extract<MerchantMe, { bound: true }>; today: DashboardToday | null };

const TITLE = '商家后台 Merchant';

/** A bound staff member's start page: today's numbers and what needs doing, by role. */
export default function MerchantHomePage() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  const fetchAll = useCallback(async (quiet = false) => {
    if (!quiet) setLoad({ status: 'loading' });
    try {
      const me = await api.merchantMe({});
      if (!me.bound) return setLoad({ status: 'unbound' });
      const today = mayUse(me.staff.role, 'merchantToday') ? await api.merchantToday({}) : null;
      setLoad({ status: 'ready', me, today });
    } catch (err) {
      setLoad({ status: 'error', message: errorMessage(err) });
    }
  }, []);

  useDidShow(() => void fetchAll(load.status === 'ready'));
  usePullDownRefresh(() => void fetchAll(true).finally(() => Taro.stopPullDownRefresh()));

  if (load.status === 'unbound')
    return (
      <PageFrame title={TITLE} className="merchant merchant-home merchant-home--unbound">
        <View>
          <StateView kind="empty" text="这个微信还没有绑定员工 · This WeChat is not bound to a staff member" />
          <View className="btn btn--ghost merchant-home__bind" onClick={() => go(merchantBindUrl())}>
            输入绑定码 Enter a code
          </View>
        </View>
      </PageFrame>
    );
  if (load.status !== 'ready')
    return (
      <PendingPage
        state={load}
        title={TITLE}
        notFound=""
        onRetry={() => void fetchAll()}
        className="merchant-home-pending"
      />
    );

  const { me, today } = load;
  const role = me.staff.role;
  const k = today?.kpis;
  const tiles = k
    ? [
        { label: '今日成交', en: 'Sales', value: formatFen(k.paidAmount), key: 'sales' },
        { label: '付款订单', en: 'Paid orders', value: String(k.paidOrders), key: 'orders' },
        { label: '付款买家', en: 'Paying buyers', value: String(k.buyers), key: 'buyers' },
        { label: '退款', en: 'Refunds', value: formatFen(k.refundAmount), key: 'refunds' },
      ]
    : [];
  const links = [
    {
      name: 'merchantCounterLookup' as const,
      url: merchantUrl('merchantCounter'),
      zh: '会员收银',
      en: 'Member counter',
    },
    { name: 'merchantShipQueue' as const, url: merchantUrl('merchantShip'), zh: '待发货订单', en: 'Orders to ship' },
    {
      name: 'merchantRefundRequests' as const,
      url: merchantUrl('merchantRefunds'),
      zh: '退款申请',
      en: 'Refund requests',
    },
    {
      name: 'merchantCreateRedEnvelopePack' as const,
      url: merchantUrl('merchantRedEnvelope'),
      zh: '发红包',
      en: 'Create a red envelope',
    },
  ].filter((l) => mayUse(role, l.name));

  return (
    <PageFrame title={TITLE} className="merchant merchant-home">
      <View>
        <View className="merchant-head">
          <Text className="merchant-head__title">{me.staff.displayName}</Text>
          <Text className="merchant-head__sub">
            {roleLabel[role]}
            {today ? ` · ${today.date} 今日 Today` : ''}
          </Text>
        </View>
        {k && (
          <View className="card merchant-today">
            <Text className="card__title">今日数据 Today</Text>
            <View className="merchant-today__grid">
              {tiles.map((t) => (
                <View key={t.key} className={`merchant-today__tile merchant-today__tile--${t.key}`}>
                  <Text className="merchant-today__value">{t.value}</Text>
                  <Text className="merchant-today__label">{t.label}</Text>
                  <Text className="merchant-today__label-en">{t.en}</Text>
                </View>
              ))}
            </View>
          </View>
        )}
        {links.length > 0 && (
          <View className="card me-links merchant-links">
            {links.map((l) => (
              <View key={l.name} className={`me-link merchant-link--${l.name}`} onClick={() => go(l.url)}>
                <Text className="me-link__text">
                  {l.zh} {l.en}
                </Text>
                <Text className="muted">›</Text>
              </View>
            ))}
          </View>
        )}
      </View>
    </PageFrame>
  );
}

function go(url: string): void {
  void Taro.navigateTo({ url });
}
