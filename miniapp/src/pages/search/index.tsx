import { useCallback, useEffect, useState } from 'react';
import { useReachBottom, useRouter } from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import type { ProductListQuery, ProductSummary } from '@chatmall/shared';
import { H5NavBar } from '../../components/H5NavBar';
import { ProductRow } from '../../components/ProductRow';
import { StateView } from '../../components/StateView';
import { api, errorMessage } from '../../services/api';
import { routeParam } from '../../routes';
import { useLatestRequest } from '../../hooks/useLatestRequest';
import './index.css';

const PAGE_SIZE = 20;
/** The API refuses a longer keyword (SearchKeyword in shared/src/catalog.ts); the input stops here. */
const MAX_KEYWORD = 50;

/** The keyword search on GET /api/products (`q`). */
type SearchQuery = ProductListQuery & { q: string };

type Results =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; items: ProductSummary[]; nextCursor: string | null; loadingMore: boolean };

export default function SearchPage() {
  const initial = routeParam(useRouter().params.q).slice(0, MAX_KEYWORD);
  const [input, setInput] = useState(initial);
  const [keyword, setKeyword] = useState(initial.trim());
  const [results, setResults] = useState<Results>({ status: 'idle' });
  const latest = useLatestRequest();

  const search = useCallback(
    async (q: string) => {
      const isLatest = latest.supersede();
      if (!q) {
        setResults({ status: 'idle' });
        return;
      }
      setResults({ status: 'loading' });
      try {
        const query: SearchQuery = { q, limit: PAGE_SIZE };
        const page = await api.listProducts({ query });
        if (isLatest())
          setResults({ status: 'ready', items: page.items, nextCursor: page.nextCursor, loadingMore: false });
      } catch (err) {
        if (isLatest()) setResults({ status: 'error', message: errorMessage(err) });
      }
    },
    [latest],
  );

  useEffect(() => {
    void search(keyword);
  }, [keyword, search]);

  useReachBottom(async () => {
    if (results.status !== 'ready' || !results.nextCursor || results.loadingMore) return;
    const isLatest = latest.join();
    setResults({ ...results, loadingMore: true });
    try {
      const query: SearchQuery = { q: keyword, cursor: results.nextCursor, limit: PAGE_SIZE };
      const page = await api.listProducts({ query });
      if (isLatest())
        setResults({
          status: 'ready',
          items: [...results.items, ...page.items],
          nextCursor: page.nextCursor,
          loadingMore: false,
        });
    } catch {
      if (isLatest()) setResults({ ...results, loadingMore: false });
    }
  });

  const submit = () => {
    const q = input.slice(0, MAX_KEYWORD).trim();
    if (q === keyword) void search(q);
    else setKeyword(q);
  };

  return (
    <View className="search-page">
      <H5NavBar title="搜索 Search" />
      <View className={`search-bar${process.env.TARO_ENV === 'h5' ? ' search-bar--below-h5-nav' : ''}`}>
        <Input
          className="search-bar__input"
          value={input}
          focus={!initial}
          confirmType="search"
          maxlength={MAX_KEYWORD}
          placeholder="搜索茶叶、点心 · Search"
          onInput={(e) => setInput(e.detail.value)}
          onConfirm={submit}
        />
        <View className="btn btn--small search-bar__submit" onClick={submit}>
          搜索 Go
        </View>
      </View>

      {results.status === 'idle' && <StateView kind="empty" text="输入关键词搜索商品 · Type a keyword" />}
      {results.status === 'loading' && <StateView kind="loading" />}
      {results.status === 'error' && (
        <StateView kind="error" text={results.message} onRetry={() => void search(keyword)} />
      )}
      {results.status === 'ready' && results.items.length === 0 && (
        <StateView kind="empty" text={`没有找到“${keyword}” · No results`} />
      )}
      {results.status === 'ready' && results.items.length > 0 && (
        <View className="search-results">
          <Text className="search-results__count muted">“{keyword}” 的结果 · Results</Text>
          {results.items.map((p) => (
            <ProductRow key={p.id} className="search-result" {...p} />
          ))}
          <View className="list-footer">
            <Text>
              {results.loadingMore
                ? '加载中… Loading'
                : results.nextCursor
                  ? '上滑加载更多 · Scroll for more'
                  : '没有更多了 · No more'}
            </Text>
          </View>
        </View>
      )}
    </View>
  );
}
