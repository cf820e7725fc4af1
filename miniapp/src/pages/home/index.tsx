import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { Button, Image, ScrollView, Text, View } from '@tarojs/components';
import type { Category, ProductSummary } from '@chatmall/shared';
import { Price } from '../../components/Price';
import { StateView } from '../../components/StateView';
import { api, errorMessage } from '../../services/api';
import { mediaUrl } from '../../services/media';
import { reloadShop, shippingText, useShop } from '../../services/shop';
import { syncCartBadgeOnShow } from '../../services/cart-badge';
import { productUrl, searchUrl } from '../../routes';
import './index.css';

const PAGE_SIZE = 20;

type Shelf =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; items: ProductSummary[]; nextCursor: string | null; loadingMore: boolean; moreError?: string };

export default function HomePage() {
  const [categories, setCategories] = useState<Category[]>([]);
  const [categoryId, setCategoryId] = useState<string | undefined>(undefined);
  const [shelf, setShelf] = useState<Shelf>({ status: 'loading' });
  // Each load gets a number; an answer for an older load (the buyer switched category) is dropped.
  const loadSeq = useRef(0);
  // Reach-bottom can fire twice before a re-render shows "loading"; one next page at a time.
  const fetchingMore = useRef(false);

  /** Loads the first page of a category; categories too on first open, refresh and retry. */
  const loadFirstPage = useCallback(async (forCategory: string | undefined, withCategories: boolean) => {
    const seq = ++loadSeq.current;
    setShelf({ status: 'loading' });
    try {
      const [cats, page] = await Promise.all([
        withCategories ? api.listCategories({}) : null,
        api.listProducts({ query: { categoryId: forCategory, limit: PAGE_SIZE } }),
      ]);
      if (seq !== loadSeq.current) return;
      if (cats) setCategories(cats.items);
      setShelf({ status: 'ready', items: page.items, nextCursor: page.nextCursor, loadingMore: false });
    } catch (err) {
      if (seq === loadSeq.current) setShelf({ status: 'error', message: errorMessage(err) });
    }
  }, []);

  const loadMore = useCallback(async () => {
    if (shelf.status !== 'ready' || !shelf.nextCursor || fetchingMore.current) return;
    const seq = loadSeq.current;
    fetchingMore.current = true;
    setShelf({ ...shelf, loadingMore: true, moreError: undefined });
    try {
      const page = await api.listProducts({ query: { categoryId, cursor: shelf.nextCursor, limit: PAGE_SIZE } });
      if (seq !== loadSeq.current) return;
      setShelf({
        status: 'ready',
        items: [...shelf.items, ...page.items],
        nextCursor: page.nextCursor,
        loadingMore: false,
      });
    } catch (err) {
      if (seq === loadSeq.current) setShelf({ ...shelf, loadingMore: false, moreError: errorMessage(err) });
    } finally {
      fetchingMore.current = false;
    }
  }, [shelf, categoryId]);

  useEffect(() => {
    void loadFirstPage(undefined, true);
  }, [loadFirstPage]);

  useReachBottom(() => void loadMore());
  useDidShow(syncCartBadgeOnShow);
  usePullDownRefresh(() => {
    void Promise.all([loadFirstPage(categoryId, true), reloadShop().catch(() => undefined)]).finally(() =>
      Taro.stopPullDownRefresh(),
    );
  });

  const chooseCategory = (id: string | undefined) => {
    if (id === categoryId) return;
    setCategoryId(id);
    // The new list starts at its top, not where the buyer had scrolled the old one to.
    void Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined);
    void loadFirstPage(id, false);
  };

  const tabs = [{ id: undefined, name: '全部', nameEn: 'All' }, ...categories];

  return (
    <View className="home">
      <ShopHeader />
      <View className="home-search" onClick={() => void Taro.navigateTo({ url: searchUrl() })}>
        <View className="home-search__pill">
          <Text className="home-search__icon">⌕</Text>
          <Text className="home-search__text">搜索茶叶、点心 · Search</Text>
        </View>
      </View>
      <ScrollView className="category-bar" scrollX enhanced showScrollbar={false}>
        {tabs.map((tab) => (
          <View
            key={tab.id ?? 'all'}
            className={`category-tab${tab.id === categoryId ? ' category-tab--active' : ''}`}
            onClick={() => chooseCategory(tab.id)}
          >
            <Text className="category-tab__name">{tab.name}</Text>
            <Text className="category-tab__name-en">{tab.nameEn}</Text>
          </View>
        ))}
      </ScrollView>

      {shelf.status === 'loading' && <StateView kind="loading" />}
      {shelf.status === 'error' && (
        <StateView
          kind="error"
          text={shelf.message}
          onRetry={() => void loadFirstPage(categoryId, categories.length === 0)}
        />
      )}
      {shelf.status === 'ready' && shelf.items.length === 0 && (
        <StateView kind="empty" text="这里还没有商品 · Nothing here yet" />
      )}
      {shelf.status === 'ready' && shelf.items.length > 0 && (
        <>
          <View className="product-grid">
            {shelf.items.map((p) => (
              <ProductCard key={p.id} product={p} />
            ))}
          </View>
          <View className="shelf-footer">
            {shelf.loadingMore ? (
              <Text>加载中… Loading</Text>
            ) : shelf.moreError ? (
              <Button className="load-more" size="mini" onClick={() => void loadMore()}>
                加载失败，重试 · Retry
              </Button>
            ) : shelf.nextCursor ? (
              <Button className="load-more" size="mini" onClick={() => void loadMore()}>
                加载更多 Load more
              </Button>
            ) : (
              <Text className="shelf-footer__end">没有更多了 · No more</Text>
            )}
          </View>
        </>
      )}
    </View>
  );
}

/** The shop's name, logo and shipping rule from its settings; the navigation title follows the name. */
function ShopHeader() {
  const shop = useShop();
  useEffect(() => {
    if (shop) void Taro.setNavigationBarTitle({ title: shop.name });
  }, [shop]);
  if (!shop) return <View className="shop-header shop-header--loading" />;
  const [zh, en] = shippingText(shop.shipping);
  return (
    <View className="shop-header">
      {shop.logo && <Image className="shop-header__logo" src={mediaUrl(shop.logo)} mode="aspectFill" />}
      <View className="shop-header__text">
        <Text className="shop-header__name">{shop.name}</Text>
        {shop.nameEn && <Text className="shop-header__name-en">{shop.nameEn}</Text>}
      </View>
      <View className="shop-header__shipping">
        <Text className="shop-header__shipping-zh">{zh}</Text>
        <Text className="shop-header__shipping-en">{en}</Text>
      </View>
    </View>
  );
}

function ProductCard({ product: p }: { product: ProductSummary }) {
  return (
    <View
      className={`product-card${p.soldOut ? ' product-card--sold-out' : ''}`}
      onClick={() => void Taro.navigateTo({ url: productUrl(p.id) })}
    >
      <View className="product-card__cover">
        <Image className="product-card__image" src={mediaUrl(p.cover)} mode="aspectFill" lazyLoad />
        {p.soldOut && <Text className="sold-out-badge">售罄 Sold out</Text>}
      </View>
      <View className="product-card__body">
        <Text className="product-name one-line-title">{p.name}</Text>
        <Text className="product-name-en one-line-title-en">{p.nameEn}</Text>
        <Price className="product-card__price" fen={p.priceFrom} from={p.priceFrom < p.priceTo} />
        {p.rating && p.rating.count > 0 && (
          <Text className="rating-line product-card__rating">
            ★ {p.rating.average.toFixed(1)} · {p.rating.count} 条评价
          </Text>
        )}
      </View>
    </View>
  );
}
