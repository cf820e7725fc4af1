import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { Image, Swiper, SwiperItem, Text, View } from '@tarojs/components';
import { ErrorCode, findSku, type ProductDetail } from '@chatmall/shared';
import { H5NavBar } from '../../components/H5NavBar';
import { loadFailed, PendingPage } from '../../components/PendingPage';
import { Price } from '../../components/Price';
import { ProductCoupons } from '../../components/ProductCoupons';
import { ProductReviews } from '../../components/ProductReviews';
import { QtyStepper } from '../../components/QtyStepper';
import { api, showError } from '../../services/api';
import { mediaUrl } from '../../services/media';
import { useShop } from '../../services/shop';
import { showCartCount } from '../../services/cart-badge';
import { checkoutUrl, productUrl, routeParam, routes, tabUrl } from '../../routes';
import { defaultChoice, leadsToStock } from './spec-choice';
import cartIcon from '../../assets/tab/cart.png';
import './index.css';

type Load =
  | { status: 'loading' }
  | { status: 'not-found' }
  | { status: 'error'; message: string }
  | { status: 'ready'; product: ProductDetail };

export default function ProductPage() {
  const id = routeParam(useRouter().params.id);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const shop = useShop();
  const [chosen, setChosen] = useState<string[]>([]);
  const [quantity, setQuantity] = useState(1);
  /** The buyer's favourite state; `count` comes with the product (when sent) and each toggle. */
  const [favourite, setFavourite] = useState<{ on: boolean; count: number | null } | null>(null);
  const [busy, setBusy] = useState(false);
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
      // The product's favourite count (when the API sends it) until the buyer's own state arrives.
      const count =
        'favouriteCount' in product && typeof product.favouriteCount === 'number' ? product.favouriteCount : null;
      setFavourite((f) => ({ on: f?.on ?? false, count: f?.count ?? count }));
      void Taro.setNavigationBarTitle({ title: product.name });
    } catch (err) {
      if (seq !== loadSeq.current) return;
      // A malformed id in a shared link is as gone as a deleted product.
      setLoad(loadFailed(err, [ErrorCode.NOT_FOUND, ErrorCode.VALIDATION_FAILED]));
    }
  }, [id]);

  useEffect(() => {
    void fetchProduct();
  }, [fetchProduct]);

  // Whether this buyer favourited the product (signs the buyer in if needed; failures stay quiet).
  useEffect(() => {
    if (!id) return;
    let live = true;
    api
      .listFavourites({})
      .then(
        (list) =>
          live && setFavourite((f) => ({ on: list.items.some((x) => x.productId === id), count: f?.count ?? null })),
      )
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [id]);

  const toggleFavourite = async () => {
    const on = !(favourite?.on ?? false);
    setFavourite((f) => ({ on, count: f?.count ?? null })); // answer the tap at once
    try {
      const state = on
        ? await api.addFavourite({ params: { productId: id } })
        : await api.removeFavourite({ params: { productId: id } });
      setFavourite({ on: state.favourited, count: state.favouriteCount });
    } catch (err) {
      setFavourite((f) => ({ on: !on, count: f?.count ?? null }));
      showError(err);
    }
  };

  const product = load.status === 'ready' ? load.product : undefined;
  const sku = product ? findSku(product, chosen) : undefined;

  useShareAppMessage(() => ({
    title: product ? `${product.name} · ${product.subtitle}` : (shop?.name ?? ''),
    path: productUrl(id),
    imageUrl: product ? mediaUrl(product.cover) : undefined,
  }));

  const nav = <H5NavBar title="商品详情 Product" />;
  if (load.status !== 'ready')
    return (
      <PendingPage
        state={load}
        title="商品详情 Product"
        notFound="商品不存在或已下架 · This product is no longer available"
        onRetry={() => void fetchProduct()}
        className="product"
      />
    );

  const p = load.product;
  const images = p.images.length > 0 ? p.images : [p.cover];
  const choose = (dim: number, value: string) => {
    setChosen((prev) => prev.map((v, i) => (i === dim ? value : v)));
    setQuantity(1);
  };
  const canBuy = sku !== undefined && sku.stock > 0;

  const addToCart = async () => {
    if (!sku || !canBuy || busy) return;
    setBusy(true);
    try {
      const cart = await api.addToCart({ body: { skuId: sku.id, quantity } });
      const units = cart.lines.reduce((n, l) => n + l.quantity, 0);
      showCartCount(cart);
      void Taro.showToast({ title: `已加入购物车 · Added (${units} in cart)`, icon: 'none' });
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };
  const buyNow = () => {
    if (!sku || !canBuy) return;
    void Taro.navigateTo({ url: checkoutUrl({ skuId: sku.id, productId: p.id, quantity }) });
  };

  return (
    <View className="product">
      {nav}
      <Swiper className="product-gallery" indicatorDots={images.length > 1} circular>
        {images.map((src) => (
          <SwiperItem key={src}>
            <Image className="product-gallery__image" src={mediaUrl(src)} mode="aspectFill" />
          </SwiperItem>
        ))}
      </Swiper>

      <View className="card">
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

      <ProductCoupons productId={p.id} />

      {p.specs.length > 0 && (
        <View className="card">
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

      <View className="card product-quantity">
        <Text className="spec-row__name">数量 Quantity</Text>
        <QtyStepper value={quantity} max={sku?.stock ?? 1} disabled={!canBuy} onChange={setQuantity} />
      </View>

      <ProductReviews productId={p.id} />

      {p.description && (
        <View className="card">
          <Text className="card__title">商品介绍 Details</Text>
          <Text className="product-description">{p.description}</Text>
        </View>
      )}

      <View className="bottom-bar-spacer" />
      <View className="bottom-bar product-actions">
        <View className={`fav-toggle${favourite?.on ? ' fav-toggle--on' : ''}`} onClick={() => void toggleFavourite()}>
          <Text className="fav-toggle__icon">{favourite?.on ? '♥' : '♡'}</Text>
          <Text className="fav-toggle__label">
            {favourite?.on ? '已收藏' : '收藏'}
            {favourite?.count != null ? ` ${favourite.count}` : ''}
          </Text>
        </View>
        <View className="product-actions__cart" onClick={() => void Taro.switchTab({ url: tabUrl(routes.cart) })}>
          <Image className="product-actions__cart-icon" src={cartIcon} />
          <Text className="fav-toggle__label">购物车</Text>
        </View>
        <View
          className={`btn product-actions__btn add-to-cart${canBuy && !busy ? '' : ' btn--disabled'}`}
          onClick={() => void addToCart()}
        >
          加入购物车
        </View>
        <View
          className={`btn btn--accent product-actions__btn buy-now${canBuy ? '' : ' btn--disabled'}`}
          onClick={buyNow}
        >
          {canBuy ? '立即购买' : '已售罄'}
        </View>
      </View>
    </View>
  );
}
