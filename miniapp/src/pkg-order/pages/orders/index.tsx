import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { OrderStatus, formatFen, orderStatusLabel, type OrderSummary } from '@chatmall/shared';
import { StateView } from '../../../components/StateView';
import { api, errorMessage } from '../../../services/api';
import { mediaUrl } from '../../../services/media';
import { orderUrl, routeParam } from '../../../routes';
import { useLatestRequest } from '../../../hooks/useLatestRequest';
import '../../order-status.css';
import './index.css';

const PAGE_SIZE = 10;
const statusTabs: (OrderStatus | undefined)[] = [undefined, 'PENDING_PAYMENT', 'PAID', 'SHIPPED', 'COMPLETED'];

type List =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; items: OrderSummary[]; nextCursor: string | null; loadingMore: boolean; moreError?: string };

export default function OrdersPage() {
  const initial = OrderStatus.safeParse(routeParam(useRouter().params.status));
  const [status, setStatus] = useState<OrderStatus | undefined>(initial.success ? initial.data : undefined);
  const [list, setList] = useState<List>({ status: 'loading' });
  const latest = useLatestRequest();
  const shown = useRef(false);

  const loadFirst = useCallback(
    async (forStatus: OrderStatus | undefined, quiet = false) => {
      const isLatest = latest.supersede();
      if (!quiet) setList({ status: 'loading' });
      try {
        const page = await api.listOrders({ query: { status: forStatus, limit: PAGE_SIZE } });
        if (isLatest())
          setList({ status: 'ready', items: page.items, nextCursor: page.nextCursor, loadingMore: false });
      } catch (err) {
        if (isLatest()) setList({ status: 'error', message: errorMessage(err) });
      }
    },
    [latest],
  );

  useEffect(() => {
    void loadFirst(status);
  }, [status, loadFirst]);
  // Back from an order detail (cancelled, confirmed): refresh quietly.
  useDidShow(() => {
    if (shown.current) void loadFirst(status, true);
    shown.current = true;
  });
  usePullDownRefresh(() => void loadFirst(status, true).finally(() => Taro.stopPullDownRefresh()));

  const loadMore = async () => {
    if (list.status !== 'ready' || !list.nextCursor || list.loadingMore) return;
    const isLatest = latest.join();
    setList({ ...list, loadingMore: true, moreError: undefined });
    try {
      const page = await api.listOrders({ query: { status, cursor: list.nextCursor, limit: PAGE_SIZE } });
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

  return (
    <View className="orders">
      <View className="order-tabs">
        {statusTabs.map((s) => (
          <View
            key={s ?? 'all'}
            className={`order-tab${s === status ? ' order-tab--active' : ''}`}
            onClick={() => setStatus(s)}
          >
            {s ? orderStatusLabel[s].split(' ')[0] : '全部'}
          </View>
        ))}
      </View>

      {list.status === 'loading' && <StateView kind="loading" />}
      {list.status === 'error' && <StateView kind="error" text={list.message} onRetry={() => void loadFirst(status)} />}
      {list.status === 'ready' && list.items.length === 0 && (
        <StateView kind="empty" text="还没有订单 · No orders yet" />
      )}
      {list.status === 'ready' && list.items.length > 0 && (
        <View className="orders__list">
          {list.items.map((o) => (
            <View
              key={o.id}
              className={`order-card order-card--${o.status}`}
              onClick={() => void Taro.navigateTo({ url: orderUrl(o.id) })}
            >
              <View className="order-card__head">
                <Text className="order-card__no">订单 {o.orderNo}</Text>
                <Text className={`order-card__status order-status--${o.status}`}>{orderStatusLabel[o.status]}</Text>
              </View>
              <View className="order-card__body">
                <Image className="order-card__image" src={mediaUrl(o.firstImage)} mode="aspectFill" />
                <View className="order-card__info">
                  <Text className="order-card__title">{o.title}</Text>
                  <Text className="order-card__date">{o.createdAt.slice(0, 16).replace('T', ' ')}</Text>
                </View>
              </View>
              <View className="order-card__foot">
                <Text className="order-card__count">共 {o.itemCount} 件 · </Text>
                <Text className="order-card__payable">{formatFen(o.payable)}</Text>
              </View>
            </View>
          ))}
          <View className="list-footer">
            {list.loadingMore ? (
              <Text>加载中… Loading</Text>
            ) : list.moreError || list.nextCursor ? (
              <View className="btn btn--ghost btn--small orders__more" onClick={() => void loadMore()}>
                {list.moreError ? '加载失败，重试 · Retry' : '加载更多 Load more'}
              </View>
            ) : (
              <Text>没有更多了 · That’s everything</Text>
            )}
          </View>
        </View>
      )}
    </View>
  );
}
