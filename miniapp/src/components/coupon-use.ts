/**
 * "去使用 / 立即使用": where a coupon can be spent. A coupon for one product opens that
 * product; any other goes to the home page's list (checkout then picks the best coupon).
 */
import Taro from '@tarojs/taro';
import type { CouponScope } from '@chatmall/shared';
import { productUrl, routes, tabUrl } from '../routes';

export function couponUseTarget(scope: CouponScope): { url: string; tab: boolean } {
  if (scope.type === 'products' && scope.productIds.length === 1)
    return { url: productUrl(scope.productIds[0]), tab: false };
  return { url: tabUrl(routes.home), tab: true };
}

export function goUseCoupon(scope: CouponScope): void {
  const { url, tab } = couponUseTarget(scope);
  void (tab ? Taro.switchTab({ url }) : Taro.navigateTo({ url }));
}
