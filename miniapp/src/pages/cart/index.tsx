import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { formatFen, freeShippingGap, type Cart, type CartLine } from '@chatmall/shared';
import { Price } from '../../components/Price';
import { QtyStepper } from '../../components/QtyStepper';
import { StateView } from '../../components/StateView';
import { api, errorMessage, showError } from '../../services/api';
import { mediaUrl } from '../../services/media';
import { useShop } from '../../services/shop';
import { showCartCount } from '../../services/cart-badge';
import { checkoutUrl, productUrl, routes, tabUrl } from '../../routes';
import { useLatestRequest } from '../../hooks/useLatestRequest';
import './index.css';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; cart: Cart };

/** A line can be checked out when its product is still on sale and has the units asked for. */
const buyable = (l: CartLine) => l.available && l.stock >= l.quantity;

export default function CartPage() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const latest = useLatestRequest();
  const shop = useShop();

  const fetchCart = useCallback(
    async (quiet = false) => {
      const isLatest = latest.supersede();
      if (!quiet) setLoad({ status: 'loading' });
      try {
        const cart = await api.getCart({});
        showCartCount(cart);
        if (isLatest()) setLoad({ status: 'ready', cart });
      } catch (err) {
        if (isLatest()) setLoad({ status: 'error', message: errorMessage(err) });
      }
    },
    [latest],
  );

  // A tab page stays mounted: reload whenever it is shown (the product page may have added to it).
  useDidShow(() => void fetchCart(load.status === 'ready'));
  usePullDownRefresh(() => void fetchCart(true).finally(() => Taro.stopPullDownRefresh()));

  /** Every change answers with the whole re-priced cart. */
  const change = async (call: () => Promise<Cart>) => {
    const isLatest = latest.supersede();
    try {
      const cart = await call();
      showCartCount(cart);
      if (isLatest()) setLoad({ status: 'ready', cart });
    } catch (err) {
      showError(err);
      void fetchCart(true);
    }
  };

  if (load.status === 'loading') return <StateView kind="loading" />;
  if (load.status === 'error') return <StateView kind="error" text={load.message} onRetry={() => void fetchCart()} />;

  const { cart } = load;
  if (cart.lines.length === 0)
    return (
      <View className="cart cart--empty">
        <StateView kind="empty" text="购物车是空的 · Your cart is empty" />
        <View className="btn btn--ghost cart__browse" onClick={() => void Taro.switchTab({ url: tabUrl(routes.home) })}>
          去逛逛 Browse the shop
        </View>
      </View>
    );

  const ready = cart.lines.filter(buyable);
  const selected = ready.filter((l) => l.selected);
  const allSelected = ready.length > 0 && selected.length === ready.length;
  const units = selected.reduce((n, l) => n + l.quantity, 0);
  // How much more ships free, by the shop's rule (nothing selected: no nudge).
  const gap = shop && cart.selected.itemsTotal > 0 ? freeShippingGap(cart.selected.itemsTotal, shop.shipping) : null;

  const selectAll = () =>
    void change(async () => {
      let last = cart;
      for (const l of ready)
        if (l.selected === allSelected)
          last = await api.updateCartLine({ params: { skuId: l.skuId }, body: { selected: !allSelected } });
      return last;
    });

  const remove = (line: CartLine) =>
    void Taro.showModal({ title: '移出购物车？', content: `${line.name} ${line.specValues.join(' / ')}` }).then((r) => {
      if (r.confirm) void change(() => api.removeCartLine({ params: { skuId: line.skuId } }));
    });

  return (
    <View className="cart">
      <View className="card cart__lines">
        {cart.lines.map((line) => {
          const ok = buyable(line);
          return (
            <View
              key={line.skuId}
              className={`cart-line${ok ? '' : ' cart-line--unavailable'}${line.selected && ok ? ' cart-line--selected' : ''}`}
            >
              <View
                className={`cart-line__check${line.selected && ok ? ' cart-line__check--on' : ''}`}
                onClick={() =>
                  ok &&
                  void change(() =>
                    api.updateCartLine({ params: { skuId: line.skuId }, body: { selected: !line.selected } }),
                  )
                }
              >
                {line.selected && ok ? '✓' : ''}
              </View>
              <Image
                className="cart-line__image"
                src={mediaUrl(line.image)}
                mode="aspectFill"
                onClick={() => void Taro.navigateTo({ url: productUrl(line.productId) })}
              />
              <View className="cart-line__body">
                <Text className="cart-line__name one-line-title">{line.name}</Text>
                <Text className="cart-line__spec">{line.specValues.join(' / ') || line.nameEn}</Text>
                {!line.available && <Text className="cart-line__note">已下架 · No longer on sale</Text>}
                {line.available && line.stock < line.quantity && (
                  <Text className="cart-line__note">
                    {line.stock === 0 ? '已售罄 · Sold out' : `仅剩 ${line.stock} 件 · Only ${line.stock} left`}
                  </Text>
                )}
                <View className="cart-line__foot">
                  <Price fen={line.unitPrice} />
                  {line.available ? (
                    <QtyStepper
                      value={line.quantity}
                      max={Math.max(line.stock, 1)}
                      disabled={line.stock === 0}
                      onChange={(quantity) =>
                        void change(() => api.updateCartLine({ params: { skuId: line.skuId }, body: { quantity } }))
                      }
                    />
                  ) : (
                    <Text className="cart-line__qty">× {line.quantity}</Text>
                  )}
                </View>
              </View>
              <View className="cart-line__remove" onClick={() => remove(line)}>
                删除
              </View>
            </View>
          );
        })}
      </View>

      {gap !== null && (
        <View className="cart-shipping-hint">
          再买 {formatFen(gap)} 免运费 · {formatFen(gap)} more ships free
        </View>
      )}
      <View className="bottom-bar-spacer" />
      <View className={`bottom-bar cart-bar${process.env.TARO_ENV === 'h5' ? ' bottom-bar--above-h5-tabbar' : ''}`}>
        <View className="cart-bar__all" onClick={selectAll}>
          <View className={`cart-line__check${allSelected ? ' cart-line__check--on' : ''}`}>
            {allSelected ? '✓' : ''}
          </View>
          <Text className="cart-bar__all-label">全选</Text>
        </View>
        <View className="cart-bar__sum">
          <View className="cart-bar__total">
            <Text className="cart-bar__label">合计 </Text>
            <Text className="cart-total">{formatFen(cart.selected.payable)}</Text>
          </View>
          <Text className="cart-bar__detail">
            {cart.selected.itemsTotal === 0
              ? '未选择商品 · Nothing selected'
              : `商品 ${formatFen(cart.selected.itemsTotal)} · 运费 ${cart.selected.shippingFee === 0 ? '免' : formatFen(cart.selected.shippingFee)}`}
          </Text>
        </View>
        <View
          className={`btn btn--accent cart-checkout${units > 0 ? '' : ' btn--disabled'}`}
          onClick={() => units > 0 && void Taro.navigateTo({ url: checkoutUrl({ cart: true }) })}
        >
          结算{units > 0 ? ` (${units})` : ''}
        </View>
      </View>
    </View>
  );
}
