import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Text, Textarea, View } from '@tarojs/components';
import {
  ApiError,
  ErrorCode,
  findSku,
  formatFen,
  freeShippingGap,
  priceOrder,
  type Address,
  type CartLine,
  type CheckoutPrice,
  type Member,
} from '@chatmall/shared';
import { AddressCard } from '../../../components/AddressCard';
import { AddressForm } from '../../../components/AddressForm';
import { Breakdown } from '../../../components/Breakdown';
import { H5NavBar } from '../../../components/H5NavBar';
import { Price } from '../../../components/Price';
import { StateView } from '../../../components/StateView';
import { api, errorMessage, showError } from '../../../services/api';
import { mediaUrl } from '../../../services/media';
import { useShop } from '../../../services/shop';
import { refreshCartBadge } from '../../../services/cart-badge';
import { randomKey } from '../../../services/session';
import { orderUrl, routeParam } from '../../../routes';
import { CouponPicker, CouponRow, couponFields, type CouponAsk } from '../../components/CouponPicker';
import { MemberPayment, memberPayFields, type MemberPay } from '../../components/MemberPayment';
import './index.css';

interface CheckoutLine {
  skuId: string;
  name: string;
  specValues: string[];
  image: string;
  unitPrice: number;
  quantity: number;
}

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; lines: CheckoutLine[]; addresses: Address[] };

const fromCartLine = (l: CartLine): CheckoutLine => ({
  skuId: l.skuId,
  name: l.name,
  specValues: l.specValues,
  image: l.image,
  unitPrice: l.unitPrice,
  quantity: l.quantity,
});

/** What is being bought: the cart's selected lines, or one SKU bought now from the product page. */
async function loadLines(params: Partial<Record<string, string>>): Promise<CheckoutLine[]> {
  if (params.from === 'cart') {
    const cart = await api.getCart({});
    return cart.lines.filter((l) => l.selected && l.available && l.stock >= l.quantity).map(fromCartLine);
  }
  const productId = routeParam(params.product);
  const skuId = routeParam(params.sku);
  const quantity = Number(routeParam(params.qty)) || 1;
  if (!productId || !skuId) return [];
  const product = await api.getProduct({ params: { id: productId } });
  const sku = product.skus.find((s) => s.id === skuId) ?? findSku(product, []);
  if (!sku) return [];
  return [
    {
      skuId: sku.id,
      name: product.name,
      specValues: sku.specValues,
      image: sku.image ?? product.cover,
      unitPrice: sku.price,
      quantity,
    },
  ];
}

/** A 400 or 409 about `body.couponId`: the coupon asked for does not apply or is held elsewhere. */
function couponRefused(err: unknown): boolean {
  return (
    err instanceof ApiError &&
    (err.status === 400 || err.status === 409) &&
    err.fields.some((f) => f.path === 'body.couponId')
  );
}

export default function CheckoutPage() {
  const { params } = useRouter();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [addressId, setAddressId] = useState<string | null>(null);
  const [mode, setMode] = useState<'show' | 'choose' | 'add'>('show');
  const [serverPrice, setServerPrice] = useState<CheckoutPrice | null>(null);
  // The coupon the buyer asks for (the best by default); the server prices with it and decides.
  const [couponAsk, setCouponAsk] = useState<CouponAsk>({ kind: 'best' });
  const [bestCouponId, setBestCouponId] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [note, setNote] = useState('');
  // A member's points and balance pay only when the buyer turns them on (DESIGN.md steps 5–6).
  const [member, setMember] = useState<Member | null>(null);
  const [memberPay, setMemberPay] = useState<MemberPay>({ points: false, balance: false });
  // One key per checkout: a retried submit (timeout, double tap) returns the same order.
  const clientKey = useRef(randomKey('ck', 32)).current;

  const fetchAll = useCallback(async () => {
    setLoad({ status: 'loading' });
    try {
      const [lines, { items: addresses }] = await Promise.all([loadLines(params), api.listAddresses({})]);
      setLoad({ status: 'ready', lines, addresses });
      setAddressId((current) => current ?? addresses[0]?.id ?? null);
      setMode(addresses.length === 0 ? 'add' : 'show');
    } catch (err) {
      setLoad({ status: 'error', message: errorMessage(err) });
    }
    // The route's params are fixed for the life of the page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    void fetchAll();
  }, [fetchAll]);
  // Quietly absent when the buyer is no member or the answer fails: the order is paid by WeChat Pay.
  useEffect(() => {
    api
      .myMembership({})
      .then((m) => setMember(m.member))
      .catch(() => undefined);
  }, []);

  const lines = useMemo(() => (load.status === 'ready' ? load.lines : []), [load]);
  const items = useMemo(() => lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })), [lines]);
  // The same pricing code as the server, for an instant breakdown; the server's answer replaces it.
  const shop = useShop();
  const localPrice = useMemo(() => priceOrder(lines, shop?.shipping), [lines, shop]);

  useEffect(() => {
    if (items.length === 0) return;
    let live = true;
    setServerPrice(null);
    api
      .previewCheckout({ body: { items, ...couponFields(couponAsk), ...memberPayFields(memberPay) } })
      .then((price) => {
        if (!live) return;
        setServerPrice(price);
        if (couponAsk.kind === 'best') setBestCouponId(price.coupon?.couponId ?? null);
      })
      .catch((err: unknown) => {
        // A coupon asked for that no longer applies (used meanwhile, expired): say why, back to the best.
        if (live && couponAsk.kind === 'coupon' && couponRefused(err)) {
          showError(err);
          setCouponAsk({ kind: 'best' });
        }
        // Otherwise the local preview stays; the order answer is authoritative anyway.
      });
    return () => {
      live = false;
    };
  }, [items, couponAsk, memberPay]);

  const nav = <H5NavBar title="确认订单 Checkout" />;
  if (load.status !== 'ready' || lines.length === 0)
    return (
      <View className="checkout">
        {nav}
        {load.status === 'loading' ? (
          <StateView kind="loading" />
        ) : load.status === 'error' ? (
          <StateView kind="error" text={load.message} onRetry={() => void fetchAll()} />
        ) : (
          <StateView kind="empty" text="没有要结算的商品 · Nothing to check out" />
        )}
      </View>
    );

  const { addresses } = load;
  const address = addresses.find((a) => a.id === addressId) ?? null;
  const price = serverPrice ?? localPrice;
  // Near the free-shipping threshold (within half of it), say how much more ships free.
  const gap = shop && price.shippingFee > 0 ? freeShippingGap(price.itemsTotal, shop.shipping) : null;
  const freeOver = shop?.shipping.freeOver ?? null;
  const nearGap = gap !== null && freeOver !== null && gap * 2 <= freeOver ? gap : null;

  const onAddressSaved = (saved: Address) => {
    setLoad({ ...load, addresses: [saved, ...addresses.filter((a) => a.id !== saved.id)] });
    setAddressId(saved.id);
    setMode('show');
  };

  const submit = async () => {
    if (submitting) return;
    if (!address) {
      void Taro.showToast({ title: '请先填写收货地址 · Add an address', icon: 'none' });
      setMode('add');
      return;
    }
    setSubmitting(true);
    try {
      // The coupon the buyer saw priced (or none); before the server answered, their ask as is.
      const coupon = serverPrice
        ? serverPrice.coupon
          ? { couponId: serverPrice.coupon.couponId }
          : { coupon: 'none' as const }
        : couponFields(couponAsk);
      const order = await api.createOrder({
        body: {
          clientKey,
          items,
          addressId: address.id,
          note: note.trim() || undefined,
          ...coupon,
          ...memberPayFields(memberPay),
        },
      });
      void refreshCartBadge(); // the ordered lines have left the cart
      // On to paying: the order page opens the payment sheet (weapp) or offers Pay now (H5).
      void Taro.redirectTo({ url: orderUrl(order.id, { pay: true }) });
    } catch (err) {
      showError(err);
      // Stock or prices changed: show what the server sees now.
      if (err instanceof ApiError && err.code === ErrorCode.OUT_OF_STOCK) void fetchAll();
      // The coupon was taken by another order or stopped applying: price again with the best one left.
      else if (couponRefused(err)) setCouponAsk({ kind: 'best' });
      setSubmitting(false);
    }
  };

  return (
    <View className="checkout">
      {nav}
      <View className="card checkout-address">
        <View className="checkout-address__head">
          <Text className="card__title">收货地址 Ship to</Text>
          {addresses.length > 0 && mode === 'show' && (
            <Text className="checkout-address__change" onClick={() => setMode('choose')}>
              更换 Change ›
            </Text>
          )}
        </View>
        {mode === 'show' && address && (
          <View className="checkout-address__chosen">
            <AddressCard address={address} />
          </View>
        )}
        {mode === 'choose' && (
          <View className="checkout-address__list">
            {addresses.map((a) => (
              <View
                key={a.id}
                className={`checkout-address__option${a.id === addressId ? ' checkout-address__option--on' : ''}`}
                onClick={() => {
                  setAddressId(a.id);
                  setMode('show');
                }}
              >
                <AddressCard address={a} />
              </View>
            ))}
            <View className="btn btn--ghost btn--small checkout-address__add" onClick={() => setMode('add')}>
              ＋ 新增地址 New address
            </View>
          </View>
        )}
        {mode === 'add' && (
          <AddressForm
            makeDefault={addresses.length === 0}
            onSaved={onAddressSaved}
            onCancel={addresses.length > 0 ? () => setMode('show') : undefined}
          />
        )}
      </View>

      <View className="card checkout-lines">
        <Text className="card__title">商品 Items</Text>
        {lines.map((l) => (
          <View key={l.skuId} className="checkout-line">
            <Image className="checkout-line__image" src={mediaUrl(l.image)} mode="aspectFill" />
            <View className="checkout-line__body">
              <Text className="checkout-line__name">{l.name}</Text>
              <Text className="checkout-line__spec">{l.specValues.join(' / ')}</Text>
              <View className="checkout-line__foot">
                <Price fen={l.unitPrice} />
                <Text className="checkout-line__qty">× {l.quantity}</Text>
              </View>
            </View>
          </View>
        ))}
      </View>

      <View className="card checkout-note">
        <Text className="card__title">备注 Note</Text>
        <Textarea
          className="checkout-note__input"
          placeholder="选填：给商家的留言 · Optional note to the shop"
          maxlength={200}
          value={note}
          autoHeight
          onInput={(e) => setNote(e.detail.value)}
        />
        {note.length >= 150 && <Text className="muted checkout-note__count">{note.length}/200</Text>}
      </View>

      <CouponRow price={serverPrice} ask={couponAsk} onOpen={() => setPicking(true)} />
      <MemberPayment member={member} price={serverPrice} pay={memberPay} onChange={setMemberPay} />

      <View className="card checkout-breakdown">
        <Breakdown
          price={price}
          shippingNote={
            nearGap !== null ? (
              <Text className="checkout-free-shipping">
                再买 {formatFen(nearGap)} 免运费 · {formatFen(nearGap)} more ships free
              </Text>
            ) : undefined
          }
        />
        {!serverPrice && <Text className="muted checkout-breakdown__note">正在核对价格… Checking prices</Text>}
      </View>

      {picking && serverPrice && (
        <CouponPicker
          price={serverPrice}
          bestId={bestCouponId}
          onClose={() => setPicking(false)}
          onPick={(ask) => {
            setPicking(false);
            setCouponAsk(ask);
          }}
        />
      )}

      <View className="bottom-bar-spacer" />
      <View className="bottom-bar checkout-bar">
        <View className="checkout-bar__sum">
          <Text className="checkout-bar__label">实付 </Text>
          <Price className="checkout-payable" fen={price.payable} />
        </View>
        <View
          className={`btn btn--accent checkout-submit${submitting || !address ? ' btn--disabled' : ''}`}
          onClick={() => void submit()}
        >
          {submitting ? '提交中… Placing' : '提交订单 Place order'}
        </View>
      </View>
    </View>
  );
}
