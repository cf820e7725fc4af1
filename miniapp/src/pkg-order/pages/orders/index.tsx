import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import {
  OrderStatus,
  buyerRefundStatusLabel,
  formatChinaTime,
  formatFen,
  orderStatusLabel,
  refundReasonLabel,
  type OrderSummary,
  type Refund,
} from '@chatmall/shared';
import { H5NavBar } from '../../../components/H5NavBar';
import { StateView } from '../../../components/StateView';
import { api, errorMessage, showError } from '../../../services/api';
import { mediaUrl } from '../../../services/media';
import { afterSalesUrl, orderUrl, routeParam } from '../../../routes';
import { useLatestRequest } from '../../../hooks/useLatestRequest';
import { buyAgain, canAskRefund, canBuyAgain } from '../../order-actions';
import '../../order-status.css';
import './index.css';

const PAGE_SIZE = 10;
/** An order status, or the 售后 tab (the buyer's after-sales requests). */
type Tab = OrderStatus | 'ALL' | 'REFUNDS';
const tabs: { tab: Tab; label: string }[] = [
  { tab: 'ALL', label: '全部' },
  { tab: 'PENDING_PAYMENT', label: '待付款' },
  { tab: 'PAID', label: '待发货' },
  { tab: 'SHIPPED', label: '已发货' },
  { tab: 'COMPLETED', label: '已完成' },
  { tab: 'REFUNDS', label: '售后' },
];
/** How many product rows a card shows before "and N more". */
const CARD_PRODUCTS = 3;

type Item = { kind: 'order'; order: OrderSummary } | { kind: 'refund'; refund: Refund };
type List =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; items: Item[]; nextCursor: string | null; loadingMore: boolean; moreError?: string };

async function fetchPage(tab: Tab, cursor?: string): Promise<{ items: Item[]; nextCursor: string | null }> {
  if (tab === 'REFUNDS') {
    const page = await api.listMyRefunds({ query: { cursor, limit: PAGE_SIZE } });
    return { items: page.items.map((refund) => ({ kind: 'refund', refund })), nextCursor: page.nextCursor };
  }
  const page = await api.listOrders({ query: { status: tab === 'ALL' ? undefined : tab, cursor, limit: PAGE_SIZE } });
  return { items: page.items.map((order) => ({ kind: 'order', order })), nextCursor: page.nextCursor };
}

export default function OrdersPage() {
  const { params } = useRouter();
  const initial = OrderStatus.safeParse(routeParam(params.status));
  const [tab, setTab] = useState<Tab>(
    routeParam(params.tab) === 'refunds' ? 'REFUNDS' : initial.success ? initial.data : 'ALL',
  );
  const [list, setList] = useState<List>({ status: 'loading' });
  const latest = useLatestRequest();
  const shown = useRef(false);

  const loadFirst = useCallback(
    async (forTab: Tab, quiet = false) => {
      const isLatest = latest.supersede();
      if (!quiet) setList({ status: 'loading' });
      try {
        const page = await fetchPage(forTab);
        if (isLatest()) setList({ status: 'ready', ...page, loadingMore: false });
      } catch (err) {
        if (isLatest()) setList({ status: 'error', message: errorMessage(err) });
      }
    },
    [latest],
  );

  useEffect(() => {
    void loadFirst(tab);
    void Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined);
  }, [tab, loadFirst]);
  // Back from an order (paid, confirmed, asked for a refund): refresh quietly.
  useDidShow(() => {
    if (shown.current) void loadFirst(tab, true);
    shown.current = true;
  });
  usePullDownRefresh(() => void loadFirst(tab, true).finally(() => Taro.stopPullDownRefresh()));

  const loadMore = async () => {
    if (list.status !== 'ready' || !list.nextCursor || list.loadingMore) return;
    const isLatest = latest.join();
    setList({ ...list, loadingMore: true, moreError: undefined });
    try {
      const page = await fetchPage(tab, list.nextCursor);
      if (isLatest())
        setList({
          status: 'ready',
          items: [...list.items, ...page.items],
          nextCursor: page.nextCursor,
          loadingMore: false,
        });
    } catch (err) {
      if (isLatest()) setList({ ...list, loadingMore: false, moreError: errorMessage(err) });
    }
  };
  useReachBottom(() => void loadMore());

  /** An action on a card: the card itself opens the order, so the tap stops here. */
  const action = (e: { stopPropagation: () => void }, run: () => void | Promise<void>) => {
    e.stopPropagation();
    void run();
  };
  const confirmReceipt = async (o: OrderSummary) => {
    const answer = await Taro.showModal({ title: '确认已收到货？', content: `订单 ${o.orderNo}` });
    if (!answer.confirm) return;
    try {
      await api.confirmReceipt({ params: { id: o.id } });
      void loadFirst(tab, true);
    } catch (err) {
      showError(err);
    }
  };
  const withdraw = async (r: Refund) => {
    const answer = await Taro.showModal({ title: '撤销这个售后申请？', content: `退款 ${formatFen(r.amount)}` });
    if (!answer.confirm) return;
    try {
      await api.withdrawRefund({ params: { id: r.orderId, refundId: r.id } });
      void loadFirst(tab, true);
    } catch (err) {
      showError(err);
    }
  };

  const orderCard = (o: OrderSummary) => {
    const shownProducts = o.products.slice(0, CARD_PRODUCTS);
    const paidLabel =
      o.status === 'PENDING_PAYMENT' || o.status === 'CANCELLED' || o.status === 'CLOSED' ? '应付' : '实付';
    return (
      <View
        key={o.id}
        className={`order-card order-card--${o.status}`}
        onClick={() => void Taro.navigateTo({ url: orderUrl(o.id) })}
      >
        <View className="order-card__head">
          <Text className="order-card__no">订单 {o.orderNo}</Text>
          <Text className={`order-card__status order-status--${o.status}`}>{orderStatusLabel[o.status]}</Text>
        </View>
        {shownProducts.map((p) => (
          <View key={p.productId} className="order-card__product">
            <Image className="order-card__image" src={mediaUrl(p.image)} mode="aspectFill" />
            <Text className="order-card__title">{p.name}</Text>
            <Text className="order-card__qty">× {p.quantity}</Text>
          </View>
        ))}
        {o.products.length > CARD_PRODUCTS && (
          <Text className="order-card__more">等 {o.products.length} 种商品 · and more</Text>
        )}
        <View className="order-card__sum">
          <Text className="order-card__date">{formatChinaTime(o.createdAt)}</Text>
          <Text className="order-card__count">
            共 {o.itemCount} 件 · {paidLabel}{' '}
          </Text>
          <Text className="order-card__payable">{formatFen(o.payable)}</Text>
        </View>
        <View className="order-card__actions">
          {canAskRefund(o.status) && (
            <View
              className="btn btn--ghost btn--small order-card__action order-card__refund"
              onClick={(e) => action(e, () => Taro.navigateTo({ url: afterSalesUrl(o.id) }).then(() => undefined))}
            >
              申请售后
            </View>
          )}
          {canBuyAgain(o.status) && (
            <View
              className="btn btn--ghost btn--small order-card__action order-card__again"
              onClick={(e) => action(e, () => buyAgain(o.id))}
            >
              再来一单
            </View>
          )}
          {o.status === 'SHIPPED' && (
            <View
              className="btn btn--small order-card__action order-card__confirm"
              onClick={(e) => action(e, () => confirmReceipt(o))}
            >
              确认收货
            </View>
          )}
          {o.status === 'PENDING_PAYMENT' && (
            <View
              className="btn btn--accent btn--small order-card__action order-card__pay"
              onClick={(e) =>
                action(e, () => Taro.navigateTo({ url: orderUrl(o.id, { pay: true }) }).then(() => undefined))
              }
            >
              付款
            </View>
          )}
        </View>
      </View>
    );
  };

  const refundCard = (r: Refund) => (
    <View
      key={r.id}
      className={`order-card refund-card refund-card--${r.status}`}
      onClick={() => void Taro.navigateTo({ url: orderUrl(r.orderId) })}
    >
      <View className="order-card__head">
        <Text className="order-card__no">订单 {r.orderNo}</Text>
        <Text className={`order-card__status refund-status refund-status--${r.status}`}>
          {buyerRefundStatusLabel[r.status]}
        </Text>
      </View>
      {r.lines.length ? (
        r.lines.map((l) => (
          <View key={l.orderLineId} className="order-card__product">
            <Image className="order-card__image" src={mediaUrl(l.image)} mode="aspectFill" />
            <Text className="order-card__title">{l.name}</Text>
            <Text className="order-card__qty">× {l.quantity}</Text>
          </View>
        ))
      ) : (
        <Text className="refund-card__whole">整单退款 · Whole order</Text>
      )}
      <Text className="refund-card__reason">
        {refundReasonLabel[r.reasonCode].split(' ')[0]}
        {r.reason && r.reason !== refundReasonLabel[r.reasonCode].split(' ')[0] ? ` · ${r.reason}` : ''}
      </Text>
      {r.status === 'REJECTED' && r.rejectReason && (
        <Text className="refund-card__rejected">拒绝原因 Reason：{r.rejectReason}</Text>
      )}
      <View className="order-card__sum">
        <Text className="order-card__date">
          {r.status === 'SUCCESS' && r.succeededAt
            ? `退款于 ${formatChinaTime(r.succeededAt)}`
            : `申请于 ${formatChinaTime(r.createdAt)}`}
        </Text>
        <Text className="order-card__count">退款 </Text>
        <Text className="order-card__payable">{formatFen(r.amount)}</Text>
      </View>
      {r.status === 'REQUESTED' && (
        <View className="order-card__actions">
          <View
            className="btn btn--ghost btn--small order-card__action refund-card__withdraw"
            onClick={(e) => action(e, () => withdraw(r))}
          >
            撤销申请 Withdraw
          </View>
        </View>
      )}
    </View>
  );

  return (
    <View className="orders">
      <H5NavBar title="我的订单 My orders" />
      <View className="order-tabs">
        {tabs.map((t) => (
          <View
            key={t.tab}
            className={`order-tab order-tab--${t.tab}${t.tab === tab ? ' order-tab--active' : ''}`}
            onClick={() => setTab(t.tab)}
          >
            {t.label}
          </View>
        ))}
      </View>

      {list.status === 'loading' && <StateView kind="loading" />}
      {list.status === 'error' && <StateView kind="error" text={list.message} onRetry={() => void loadFirst(tab)} />}
      {list.status === 'ready' && list.items.length === 0 && (
        <StateView
          kind="empty"
          text={tab === 'REFUNDS' ? '没有售后申请 · No after-sales requests' : '还没有订单 · No orders yet'}
        />
      )}
      {list.status === 'ready' && list.items.length > 0 && (
        <View className="orders__list">
          {list.items.map((item) => (item.kind === 'order' ? orderCard(item.order) : refundCard(item.refund)))}
          <View className="list-footer">
            {list.loadingMore ? (
              <Text>加载中… Loading</Text>
            ) : list.moreError || list.nextCursor ? (
              <View className="btn btn--ghost btn--small orders__more" onClick={() => void loadMore()}>
                {list.moreError ? '加载失败，重试 · Retry' : '加载更多 Load more'}
              </View>
            ) : (
              <Text className="orders__end">没有更多了 · No more</Text>
            )}
          </View>
        </View>
      )}
    </View>
  );
}
