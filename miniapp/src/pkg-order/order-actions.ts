/** What a buyer can do with an order, shared by the orders list and the order page. */
import Taro from '@tarojs/taro';
import { REFUNDABLE_ORDER_STATUSES, type OrderStatus } from '@chatmall/shared';
import { api, showError } from '../services/api';
import { showCartCount } from '../services/cart-badge';
import { routes, tabUrl } from '../routes';

export const canAskRefund = (s: OrderStatus) => REFUNDABLE_ORDER_STATUSES.includes(s);
/** Ended orders (and received ones) can be bought again. */
export const canBuyAgain = (s: OrderStatus) => ['COMPLETED', 'CANCELLED', 'CLOSED', 'REFUNDED'].includes(s);

/** 再来一单: the order's lines go back in the cart (what is still on sale), then the cart opens. */
export async function buyAgain(orderId: string): Promise<void> {
  void Taro.showLoading({ title: '加入购物车… Adding' });
  let added = 0;
  let failed = 0;
  try {
    const order = await api.getOrder({ params: { id: orderId } });
    for (const l of order.lines) {
      try {
        showCartCount(await api.addToCart({ body: { skuId: l.skuId, quantity: l.quantity } }));
        added++;
      } catch {
        failed++; // sold out or off sale: the rest still go in
      }
    }
  } catch (err) {
    Taro.hideLoading();
    showError(err);
    return;
  }
  Taro.hideLoading();
  if (!added) {
    void Taro.showToast({ title: '商品已售罄或下架 · No longer available', icon: 'none' });
    return;
  }
  await Taro.switchTab({ url: tabUrl(routes.cart) });
  if (failed) void Taro.showToast({ title: `${failed} 件商品已不可购买 · some items unavailable`, icon: 'none' });
}
