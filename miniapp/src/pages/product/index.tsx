import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { Image, Swiper, SwiperItem, Text, View } from '@tarojs/components';
import { ApiError, ErrorCode, findSku, type ProductDetail } from '@chatmall/shared';
import { Price } from '../../components/Price';
import { StateView } from '../../components/StateView';
import { api, errorMessage } from '../../services/api';
import { mediaUrl } from '../../services/media';
import { productUrl, routeParam } from '../../routes';
import { defaultChoice, leadsToStock } from './spec-choice';
import './index.css';

type Load =
  | { status: 'loading' }
  | { status: 'not-found' }
  | { status: 'error'; message: string }
  | { status: 'ready'; product: ProductDetail };

export default function ProductPage() {
  const id = routeParam(useRouter().params.id);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [chosen, setChosen] = useState<string[]>([]);
  const loadSeq = useRef(0);

  const fetchProduct = useCallback(async () => {
    const seq = ++loadSeq.current;
    if (!id) {
      setLoad({ status: 'not-found' });
      return;
    }
    setLoad({ status: 'loading' });
    try {
      const product = await api.getProduct({ params: { id } });
      if (seq !== loadSeq.current) return;
      setChosen(defaultChoice(product));
      setLoad({ status: 'ready', product });
      void Taro.setNavigationBarTitle({ title: product.name });
    } catch (err) {
      if (seq !== loadSeq.current) return;
      // A malformed id in a shared link is as gone as a deleted product.
      const gone =
        err instanceof ApiError && (err.code === ErrorCode.NOT_FOUND || err.code === ErrorCode.VALIDATION_FAILED);
      setLoad(gone ? { status: 'not-found' } : { status: 'error', message: errorMessage(err) });
    }
  }, [id]);

  useEffect(() => {
    void fetchProduct();
  }, [fetchProduct]);

  const product = load.status === 'ready' ? load.product : undefined;
  const sku = product ? findSku(product, chosen) : undefined;

  useShareAppMessage(() => ({
    title: product ? `${product.name} · ${product.subtitle}` : '茶与点心',
    path: productUrl(id),
    imageUrl: product ? mediaUrl(product.cover) : undefined,
  }));

  if (load.status === 'loading') return <StateView kind="loading" />;
  if (load.status === 'not-found')
    return <StateView kind="empty" text="商品不存在或已下架 · This product is no longer available" />;
  if (load.status === 'error')
    return <StateView kind="error" text={load.message} onRetry={() => void fetchProduct()} />;

  const p = load.product;
  const images = p.images.length > 0 ? p.images : [p.cover];
  const choose = (dim: number, value: string) => setChosen((prev) => prev.map((v, i) => (i === dim ? value : v)));

  return (
    <View className="product">
      <Swiper className="product-gallery" indicatorDots={images.length > 1} circular>
        {images.map((src) => (
          <SwiperItem key={src}>
            <Image className="product-gallery__image" src={mediaUrl(src)} mode="aspectFill" />
          </SwiperItem>
        ))}
      </Swiper>

      <View className="product-section">
        {sku ? (
          <Price className="product-price" size="large" fen={sku.price} originalFen={sku.originalPrice} />
        ) : (
          <Price className="product-price" size="large" fen={p.priceFrom} from={p.priceFrom < p.priceTo} />
        )}
        <Text className="product-title">{p.name}</Text>
        <Text className="product-title-en">{p.nameEn}</Text>
        {p.subtitle && <Text className="product-subtitle">{p.subtitle}</Text>}
        {sku && (
          <Text className={`product-stock${sku.stock > 0 ? '' : ' product-stock--sold-out'}`}>
            {sku.stock > 0 ? `库存 ${sku.stock} · In stock` : '售罄 Sold out'}
          </Text>
        )}
      </View>

      {p.specs.length > 0 && (
        <View className="product-section">
          {p.specs.map((spec, dim) => (
            <View key={spec.name} className="spec-row">
              <Text className="spec-row__name">
                {spec.name} {spec.nameEn}
              </Text>
              <View className="spec-row__values">
                {spec.values.map((value) => {
                  const active = chosen[dim] === value;
                  // Still tappable: the buyer may want to see the price of a sold-out size.
                  const inStock = leadsToStock(p, chosen, dim, value);
                  return (
                    <View
                      key={value}
                      className={`spec-chip${active ? ' spec-chip--active' : ''}${inStock ? '' : ' spec-chip--sold-out'}`}
                      onClick={() => choose(dim, value)}
                    >
                      {value}
                    </View>
                  );
                })}
              </View>
            </View>
          ))}
        </View>
      )}

      {p.description && (
        <View className="product-section">
          <Text className="product-section__title">商品介绍 Details</Text>
          <Text className="product-description">{p.description}</Text>
        </View>
      )}
    </View>
  );
}
