import { useCallback, useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { formatChinaTime, type ProductReviewPage, type PublicReview } from '@chatmall/shared';
import { api, errorMessage } from '../services/api';
import { mediaUrl } from '../services/media';
import { stars } from './stars';
import './ProductReviews.css';

const PAGE = 5;

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | ({ status: 'ready'; more: boolean } & ProductReviewPage);

/** The product page's word of mouth: rating, count, the 有图 filter, newest reviews with the merchant's reply. */
export function ProductReviews({ productId }: { productId: string }) {
  const [photosOnly, setPhotosOnly] = useState(false);
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  const fetchPage = useCallback(
    async (cursor?: string, prev: PublicReview[] = []) => {
      try {
        const page = await api.listProductReviews({
          params: { id: productId },
          query: { photos: photosOnly ? '1' : undefined, cursor, limit: PAGE },
        });
        setLoad({ status: 'ready', more: false, ...page, items: [...prev, ...page.items] });
      } catch (err) {
        setLoad({ status: 'error', message: errorMessage(err) });
      }
    },
    [productId, photosOnly],
  );

  useEffect(() => {
    setLoad({ status: 'loading' });
    void fetchPage();
  }, [fetchPage]);

  const rating = load.status === 'ready' ? load.rating : null;
  return (
    <View className="card reviews">
      <View className="reviews__head">
        <Text className="card__title">评价 Reviews{rating ? ` (${rating.count})` : ''}</Text>
        {rating && rating.count > 0 && (
          <Text className="reviews__score">
            <Text className="reviews__stars">★</Text> {rating.average.toFixed(1)}
          </Text>
        )}
      </View>
      <View className="reviews__filters">
        <View className={`review-filter${photosOnly ? '' : ' review-filter--on'}`} onClick={() => setPhotosOnly(false)}>
          全部 All
        </View>
        <View
          className={`review-filter review-filter--photos${photosOnly ? ' review-filter--on' : ''}`}
          onClick={() => setPhotosOnly(true)}
        >
          有图 With photos{rating ? ` ${rating.withPhotos}` : ''}
        </View>
      </View>
      {load.status === 'loading' && <Text className="muted reviews__note">加载中… Loading</Text>}
      {load.status === 'error' && (
        <View className="reviews__note" onClick={() => void fetchPage()}>
          <Text className="muted">{load.message} · 点击重试 Tap to retry</Text>
        </View>
      )}
      {load.status === 'ready' && load.items.length === 0 && (
        <Text className="muted reviews__note">
          {photosOnly ? '还没有带图的评价 · No reviews with photos yet' : '还没有评价 · No reviews yet'}
        </Text>
      )}
      {load.status === 'ready' &&
        load.items.map((r) => (
          <View key={r.id} className="review">
            <View className="review__who">
              <Text className="review__name">{r.displayName}</Text>
              <Text className="review__stars">{stars(r.rating)}</Text>
              <Text className="review__date">{formatChinaTime(r.createdAt, 'date')}</Text>
            </View>
            {r.spec && <Text className="review__spec">{r.spec}</Text>}
            {r.content && <Text className="review__content">{r.content}</Text>}
            {r.photos.length > 0 && (
              <View className="review__photos">
                {r.photos.map((src) => (
                  <Image
                    key={src}
                    className="review__photo"
                    src={mediaUrl(src)}
                    mode="aspectFill"
                    onClick={() =>
                      void Taro.previewImage({ current: mediaUrl(src), urls: r.photos.map((u) => mediaUrl(u)) })
                    }
                  />
                ))}
              </View>
            )}
            {r.reply && <Text className="review__reply">商家回复 Reply：{r.reply}</Text>}
          </View>
        ))}
      {load.status === 'ready' && load.nextCursor && (
        <View
          className="btn btn--ghost btn--small reviews__more"
          onClick={() => {
            if (load.more) return;
            setLoad({ ...load, more: true });
            void fetchPage(load.nextCursor ?? undefined, load.items);
          }}
        >
          {load.more ? '加载中… Loading' : '更多评价 More reviews'}
        </View>
      )}
      {load.status === 'ready' && load.items.length > 0 && !load.nextCursor && (
        <Text className="muted reviews__note">没有更多了 · No more</Text>
      )}
    </View>
  );
}
