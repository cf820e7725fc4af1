import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Input, Text, Textarea, View } from '@tarojs/components';
import { formatChinaTime, REVIEW_TEXT_MAX, type MyReview, type Order } from '@chatmall/shared';
import { H5NavBar } from '../../../components/H5NavBar';
import { loadFailed, PageFrame, PendingPage } from '../../../components/PendingPage';
import { StateView } from '../../../components/StateView';
import { api, fieldErrors, showError } from '../../../services/api';
import { mediaUrl } from '../../../services/media';
import { routeParam } from '../../../routes';
import { PhotoPicker } from '../../components/PhotoPicker';
import './index.css';

type Load =
  | { status: 'loading' }
  | { status: 'not-found' }
  | { status: 'error'; message: string }
  | { status: 'ready'; order: Order; existing: MyReview | null };

const ratingWords = ['', '很差 Poor', '较差 Fair', '一般 OK', '满意 Good', '非常满意 Excellent'];

export default function ReviewPage() {
  const { params } = useRouter();
  const orderId = routeParam(params.order);
  const lineId = routeParam(params.line);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [rating, setRating] = useState(5);
  const [content, setContent] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const fetchAll = useCallback(async () => {
    if (!orderId || !lineId) return setLoad({ status: 'not-found' });
    setLoad({ status: 'loading' });
    try {
      const [order, reviews] = await Promise.all([
        api.getOrder({ params: { id: orderId } }),
        api.listOrderReviews({ params: { id: orderId } }).then((r) => r.items),
      ]);
      if (!order.lines.some((l) => l.id === lineId)) return setLoad({ status: 'not-found' });
      const existing = reviews.find((r) => r.orderLineId === lineId) ?? null;
      if (existing) {
        setRating(existing.rating);
        setContent(existing.content);
        setPhotos(existing.photos);
        setName(existing.displayName === '匿名买家' ? '' : existing.displayName);
      }
      setLoad({ status: 'ready', order, existing });
    } catch (err) {
      setLoad(loadFailed(err));
    }
  }, [orderId, lineId]);

  useEffect(() => {
    void fetchAll();
  }, [fetchAll]);

  if (load.status !== 'ready')
    return (
      <PendingPage
        state={load}
        title="评价 Review"
        notFound="找不到这件商品 · Item not found"
        onRetry={() => void fetchAll()}
      />
    );

  const { order, existing } = load;
  const line = order.lines.find((l) => l.id === lineId)!;
  if (!order.completedAt)
    return (
      <PageFrame title="评价 Review">
        <StateView kind="empty" text="确认收货后才能评价 · You can review after confirming receipt" />
      </PageFrame>
    );
  if (existing && !existing.editableUntil)
    return (
      <PageFrame title="评价 Review">
        <StateView kind="empty" text="这条评价已不能修改 · This review can no longer be edited" />
      </PageFrame>
    );

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    setErrors({});
    const body = { rating, content: content.trim(), photos, displayName: name.trim() || null };
    try {
      if (existing) await api.updateReview({ params: { id: existing.id }, body });
      else await api.createReview({ body: { orderLineId: line.id, ...body } });
      void Taro.showToast({ title: '评价成功 · Thank you', icon: 'success' });
      setTimeout(() => void Taro.navigateBack().catch(() => undefined), 800);
    } catch (err) {
      const fields = fieldErrors(err);
      const placed: Record<string, string> = {};
      for (const [path, message] of Object.entries(fields)) placed[path.split('.')[0]] ??= message;
      setErrors(placed);
      if (!Object.keys(placed).length) showError(err);
      setBusy(false);
    }
  };

  return (
    <View className="review-page">
      <H5NavBar title="评价 Review" />
      <View className="card review-page__item">
        <Image className="review-page__image" src={mediaUrl(line.image)} mode="aspectFill" />
        <View className="review-page__item-body">
          <Text className="review-page__name">{line.name}</Text>
          <Text className="muted">{line.specValues.join(' / ')}</Text>
        </View>
      </View>

      <View className="card">
        <Text className="card__title">评分 Rating</Text>
        <View className="review-stars">
          {[1, 2, 3, 4, 5].map((n) => (
            <Text
              key={n}
              className={`review-star review-star--${n}${n <= rating ? ' review-star--on' : ''}`}
              onClick={() => setRating(n)}
            >
              ★
            </Text>
          ))}
          <Text className="review-stars__word">{ratingWords[rating]}</Text>
        </View>
        {errors.rating && <Text className="field-error">{errors.rating}</Text>}
        <Textarea
          className="review-page__text"
          placeholder="说说口感、包装和物流吧 · How was it?"
          value={content}
          maxlength={REVIEW_TEXT_MAX}
          onInput={(e) => setContent(e.detail.value)}
        />
        <Text className="muted review-page__count">
          {content.length}/{REVIEW_TEXT_MAX}
        </Text>
        {errors.content && <Text className="field-error">{errors.content}</Text>}
      </View>

      <View className="card">
        <Text className="card__title">晒图 Photos（最多 6 张 up to 6）</Text>
        <PhotoPicker value={photos} onChange={setPhotos} />
        {errors.photos && <Text className="field-error">{errors.photos}</Text>}
      </View>

      <View className="card">
        <Text className="card__title">显示名 Display name</Text>
        <Input
          className="review-page__name-input"
          placeholder="留空则显示“匿名买家” · Empty shows Anonymous"
          value={name}
          maxlength={20}
          onInput={(e) => setName(e.detail.value)}
        />
        {errors.displayName && <Text className="field-error">{errors.displayName}</Text>}
        {existing?.editableUntil && (
          <Text className="muted review-page__note">
            只能修改一次，截止 {formatChinaTime(existing.editableUntil)} · One edit allowed
          </Text>
        )}
      </View>

      <View className="bottom-bar-spacer" />
      <View className="bottom-bar review-page__bar">
        <View
          className={`btn btn--accent review-page__submit${busy ? ' btn--disabled' : ''}`}
          onClick={() => void submit()}
        >
          {busy ? '提交中… Submitting' : existing ? '保存修改 Save' : '发布评价 Post review'}
        </View>
      </View>
    </View>
  );
}
