import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { ResponseOf, Contract } from '@chatmall/shared';
import { H5NavBar } from '../../../components/H5NavBar';
import { ProductRow } from '../../../components/ProductRow';
import { StateView } from '../../../components/StateView';
import { api, errorMessage, showError } from '../../../services/api';
import { routes, tabUrl } from '../../../routes';
import { useLatestRequest } from '../../../hooks/useLatestRequest';
import './index.css';

type Favourite = ResponseOf<Contract['listFavourites']>['items'][number];
type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: Favourite[] };

export default function FavouritesPage() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const latest = useLatestRequest();

  const fetchList = useCallback(
    async (quiet = false) => {
      const isLatest = latest.supersede();
      if (!quiet) setLoad({ status: 'loading' });
      try {
        const { items } = await api.listFavourites({});
        if (isLatest()) setLoad({ status: 'ready', items });
      } catch (err) {
        if (isLatest()) setLoad({ status: 'error', message: errorMessage(err) });
      }
    },
    [latest],
  );

  // Back from a product page the buyer may have un-favourited it.
  useDidShow(() => void fetchList(load.status === 'ready'));
  usePullDownRefresh(() => void fetchList(true).finally(() => Taro.stopPullDownRefresh()));

  const nav = <H5NavBar title="我的收藏 Favourites" />;
  if (load.status === 'loading')
    return (
      <View className="favourites">
        {nav}
        <StateView kind="loading" />
      </View>
    );
  if (load.status === 'error')
    return (
      <View className="favourites">
        {nav}
        <StateView kind="error" text={load.message} onRetry={() => void fetchList()} />
      </View>
    );
  if (load.items.length === 0)
    return (
      <View className="favourites favourites--empty">
        {nav}
        <StateView kind="empty" text="还没有收藏 · No favourites yet" />
        <View className="btn btn--ghost" onClick={() => void Taro.switchTab({ url: tabUrl(routes.home) })}>
          去逛逛 Browse the shop
        </View>
      </View>
    );

  const remove = async (productId: string) => {
    try {
      await api.removeFavourite({ params: { productId } });
      setLoad({ status: 'ready', items: load.items.filter((f) => f.productId !== productId) });
    } catch (err) {
      showError(err);
    }
  };

  return (
    <View className="favourites">
      {nav}
      <Text className="favourites__count muted">共 {load.items.length} 件收藏 · Favourites</Text>
      {load.items.map((f) => (
        <ProductRow
          key={f.productId}
          className="favourite-item"
          id={f.productId}
          name={f.name}
          nameEn={f.nameEn}
          cover={f.cover}
          priceFrom={f.priceFrom}
          extra={
            <View
              className="favourite-item__remove"
              onClick={(e) => {
                e.stopPropagation();
                void remove(f.productId);
              }}
            >
              取消收藏
            </View>
          }
        />
      ))}
      <View className="list-footer">
        <Text>没有更多了 · No more</Text>
      </View>
    </View>
  );
}
