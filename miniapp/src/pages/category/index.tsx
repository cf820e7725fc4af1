import { useCallback, useEffect, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { ScrollView, Text, View } from '@tarojs/components';
import type { Category, ProductSummary } from '@chatmall/shared';
import { ProductRow } from '../../components/ProductRow';
import { StateView } from '../../components/StateView';
import { api, errorMessage } from '../../services/api';
import { syncCartBadgeOnShow } from '../../services/cart-badge';
import { searchUrl } from '../../routes';
import { useLatestRequest } from '../../hooks/useLatestRequest';
import './index.css';

const PAGE_SIZE = 20;

type Cats = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: Category[] };
type Shelf =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; items: ProductSummary[]; nextCursor: string | null; loadingMore: boolean };

/** Categories on the left, the chosen category's products on the right. */
export default function CategoryPage() {
  const [cats, setCats] = useState<Cats>({ status: 'loading' });
  const [active, setActive] = useState<string | null>(null);
  const [shelf, setShelf] = useState<Shelf>({ status: 'loading' });
  const latest = useLatestRequest();

  const loadShelf = useCallback(
    async (categoryId: string) => {
      const isLatest = latest.supersede();
      setShelf({ status: 'loading' });
      try {
        const page = await api.listProducts({ query: { categoryId, limit: PAGE_SIZE } });
        if (isLatest())
          setShelf({ status: 'ready', items: page.items, nextCursor: page.nextCursor, loadingMore: false });
      } catch (err) {
        if (isLatest()) setShelf({ status: 'error', message: errorMessage(err) });
      }
    },
    [latest],
  );

  const loadCategories = useCallback(async () => {
    setCats({ status: 'loading' });
    try {
      const { items } = await api.listCategories({});
      setCats({ status: 'ready', items });
      if (items[0]) {
        setActive(items[0].id);
        void loadShelf(items[0].id);
      }
    } catch (err) {
      setCats({ status: 'error', message: errorMessage(err) });
    }
  }, [loadShelf]);

  useEffect(() => {
    void loadCategories();
  }, [loadCategories]);
  useDidShow(syncCartBadgeOnShow);

  const loadMore = async () => {
    if (shelf.status !== 'ready' || !shelf.nextCursor || shelf.loadingMore || !active) return;
    const isLatest = latest.join();
    setShelf({ ...shelf, loadingMore: true });
    try {
      const page = await api.listProducts({
        query: { categoryId: active, cursor: shelf.nextCursor, limit: PAGE_SIZE },
      });
      if (isLatest())
        setShelf({
          status: 'ready',
          items: [...shelf.items, ...page.items],
          nextCursor: page.nextCursor,
          loadingMore: false,
        });
    } catch {
      if (isLatest()) setShelf({ ...shelf, loadingMore: false });
    }
  };

  const choose = (id: string) => {
    if (id === active) return;
    setActive(id);
    void loadShelf(id);
  };

  if (cats.status === 'loading') return <StateView kind="loading" />;
  if (cats.status === 'error')
    return <StateView kind="error" text={cats.message} onRetry={() => void loadCategories()} />;
  if (cats.items.length === 0) return <StateView kind="empty" text="还没有分类 · No categories yet" />;

  return (
    <View className="category-page">
      <View className="search-entry" onClick={() => void Taro.navigateTo({ url: searchUrl() })}>
        <Text className="search-entry__text">搜索茶叶、点心 · Search</Text>
      </View>
      <View className="category-page__columns">
        <ScrollView className="category-side" scrollY>
          {cats.items.map((c) => (
            <View
              key={c.id}
              className={`category-side__item${c.id === active ? ' category-side__item--active' : ''}`}
              onClick={() => choose(c.id)}
            >
              <Text className="category-side__name">{c.name}</Text>
              <Text className="category-side__name-en">{c.nameEn}</Text>
            </View>
          ))}
        </ScrollView>
        <ScrollView className="category-main" scrollY lowerThreshold={120} onScrollToLower={() => void loadMore()}>
          {shelf.status === 'loading' && <StateView kind="loading" />}
          {shelf.status === 'error' && (
            <StateView kind="error" text={shelf.message} onRetry={() => active && void loadShelf(active)} />
          )}
          {shelf.status === 'ready' && shelf.items.length === 0 && (
            <StateView kind="empty" text="这个分类还没有商品 · Nothing here yet" />
          )}
          {shelf.status === 'ready' &&
            shelf.items.map((p) => <ProductRow key={p.id} className="category-product" {...p} />)}
          {shelf.status === 'ready' && shelf.items.length > 0 && (
            <View className="list-footer">
              <Text>
                {shelf.loadingMore
                  ? '加载中… Loading'
                  : shelf.nextCursor
                    ? '上滑加载更多 · Scroll for more'
                    : '没有更多了 · No more'}
              </Text>
            </View>
          )}
        </ScrollView>
      </View>
    </View>
  );
}
