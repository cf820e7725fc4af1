import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { NearbyStore } from '@chatmall/shared';
import { H5NavBar } from '../../../components/H5NavBar';
import { StateView } from '../../../components/StateView';
import { api, errorMessage } from '../../../services/api';
import { useLatestRequest } from '../../../hooks/useLatestRequest';
import { distanceText, locate, type Located } from './location';
import '../../o2o.css';

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; items: NearbyStore[]; from: Located };

/**
 * 门店 Stores: the shop's stores nearest first from where the buyer is (or from the city
 * centre when they keep their location to themselves), with opening hours, a call button and
 * "open in map".
 */
export default function StoresPage() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const latest = useLatestRequest();

  const fetchStores = useCallback(
    async (quiet = false) => {
      const isLatest = latest.supersede();
      if (!quiet) setLoad({ status: 'loading' });
      try {
        const from = await locate();
        const { items } = await api.nearbyStores({ query: { lat: from.lat, lng: from.lng, limit: 20 } });
        if (isLatest()) setLoad({ status: 'ready', items, from });
      } catch (err) {
        if (isLatest()) setLoad({ status: 'error', message: errorMessage(err) });
      }
    },
    [latest],
  );

  useDidShow(() => void fetchStores(load.status === 'ready'));
  usePullDownRefresh(() => void fetchStores(true).finally(() => Taro.stopPullDownRefresh()));

  const head = <H5NavBar title="门店 Stores" />;
  if (load.status === 'loading')
    return (
      <View className="o2o-page">
        {head}
        <StateView kind="loading" text="正在查找附近门店… Finding stores" />
      </View>
    );
  if (load.status === 'error')
    return (
      <View className="o2o-page">
        {head}
        <StateView kind="error" text={load.message} onRetry={() => void fetchStores()} />
      </View>
    );

  return (
    <View className="o2o-page">
      {head}
      <View className={`o2o-where ${load.from.precise ? 'o2o-where--precise' : 'o2o-where--fallback'}`}>
        <Text>
          {load.from.precise
            ? '按离你最近排序 · Nearest to you first'
            : '未获得你的位置，按市中心距离排序 · Location not shared: sorted from the city centre'}
        </Text>
      </View>
      {load.items.length === 0 ? (
        <StateView kind="empty" text="暂无门店 · No stores yet" />
      ) : (
        <View className="o2o-list">
          {load.items.map((s, i) => (
            <StoreCard key={s.id} store={s} nearest={i === 0 && load.from.precise} />
          ))}
        </View>
      )}
    </View>
  );
}

function StoreCard({ store, nearest }: { store: NearbyStore; nearest: boolean }) {
  const openMap = () => {
    // The H5 build has no map of its own: the address and coordinates to copy into one.
    const showWhere = () =>
      Taro.showModal({
        title: store.name,
        content: `${store.address}\n${store.latitude.toFixed(5)}, ${store.longitude.toFixed(5)}`,
        showCancel: false,
        confirmText: '知道了',
      });
    if (process.env.TARO_ENV === 'h5') {
      void showWhere();
      return;
    }
    void Taro.openLocation({
      latitude: store.latitude,
      longitude: store.longitude,
      name: store.name,
      address: store.address,
      scale: 16,
    }).catch(showWhere);
  };
  const call = () => void Taro.makePhoneCall({ phoneNumber: store.phone }).catch(() => undefined);
  return (
    <View className={`card o2o-store o2o-store--${store.id}`}>
      <View className="o2o-store__head">
        <Text className="o2o-store__name">{store.name}</Text>
        {nearest && <Text className="o2o-store__badge">最近 Nearest</Text>}
        <Text className="o2o-store__distance">{distanceText(store.distanceM)}</Text>
      </View>
      <Text className="o2o-store__address">{store.address}</Text>
      {store.hours && <Text className="o2o-store__hours">营业时间 Hours {store.hours}</Text>}
      <View className="o2o-store__actions">
        {store.phone && (
          <View className="btn btn--ghost btn--small o2o-store__call" onClick={call}>
            <Text>电话 Call</Text>
          </View>
        )}
        <View className="btn btn--small o2o-store__map" onClick={openMap}>
          <Text>导航 Open in map</Text>
        </View>
      </View>
    </View>
  );
}
