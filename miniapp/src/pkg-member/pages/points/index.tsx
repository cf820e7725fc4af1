import { useCallback, useEffect, useState } from 'react';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { formatChinaTime, type PointsPage } from '@chatmall/shared';
import { H5NavBar } from '../../../components/H5NavBar';
import { StateView } from '../../../components/StateView';
import { api, errorMessage, showError } from '../../../services/api';
import { useLatestRequest } from '../../../hooks/useLatestRequest';
import '../../member.css';

type List =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; page: PointsPage; loadingMore: boolean };

/** 积分明细: every points change, newest first (earned, used, reversed, adjusted, expired, in store). */
export default function MemberPointsPage() {
  const [list, setList] = useState<List>({ status: 'loading' });
  const latest = useLatestRequest();

  const loadFirst = useCallback(
    async (quiet = false) => {
      const isLatest = latest.supersede();
      if (!quiet) setList({ status: 'loading' });
      try {
        const page = await api.myPoints({ query: { limit: 20 } });
        if (isLatest()) setList({ status: 'ready', page, loadingMore: false });
      } catch (err) {
        if (isLatest()) setList({ status: 'error', message: errorMessage(err) });
      }
    },
    [latest],
  );

  useEffect(() => void loadFirst(), [loadFirst]);
  usePullDownRefresh(() => void loadFirst(true).finally(() => Taro.stopPullDownRefresh()));
  useReachBottom(() => {
    if (list.status !== 'ready' || list.loadingMore || !list.page.nextCursor) return;
    const isLatest = latest.supersede();
    setList({ ...list, loadingMore: true });
    api
      .myPoints({ query: { cursor: list.page.nextCursor, limit: 20 } })
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

  return (
    <View className={`member-page member-points-page member-points-page--${list.status}`}>
      <H5NavBar title="积分明细 Points" />
      {list.status === 'loading' ? (
        <StateView kind="loading" />
      ) : list.status === 'error' ? (
        <StateView kind="error" text={list.message} onRetry={() => void loadFirst()} />
      ) : list.page.items.length === 0 ? (
        <StateView kind="empty" text="还没有积分，下单或到店消费即可获得 · No points yet: earn them with an order" />
      ) : (
        <View className="card">
          {list.page.items.map((e) => (
            <View key={e.id} className={`member-row points-entry points-entry--${e.kind}`}>
              <View className="member-row__main">
                <Text className="member-row__title">{e.record}</Text>
                <Text className="member-row__when">{formatChinaTime(e.createdAt)}</Text>
              </View>
              <Text className={`member-row__delta${e.delta < 0 ? ' member-row__delta--out' : ''}`}>
                {e.delta > 0 ? `+${e.delta}` : e.delta}
              </Text>
            </View>
          ))}
          {list.loadingMore && <Text className="muted">加载中… Loading</Text>}
        </View>
      )}
    </View>
  );
}
