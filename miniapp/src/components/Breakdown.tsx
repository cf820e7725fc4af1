import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { formatFen, type PriceBreakdown } from '@chatmall/shared';

/** Items, discounts, shipping and what is payable: the same rows on checkout and order detail. */
export function Breakdown({
  price,
  payableLabel = '应付 Payable',
  shippingNote,
}: {
  price: PriceBreakdown;
  payableLabel?: string;
  /** A line right under the shipping row (checkout: how much more ships free). */
  shippingNote?: ReactNode;
}) {
  return (
    <View className="breakdown">
      <View className="breakdown__row">
        <Text>商品金额 Items</Text>
        <Text className="breakdown__items">{formatFen(price.itemsTotal)}</Text>
      </View>
      {price.adjustments.map((a) => (
        <View key={`${a.kind}-${a.label}`} className="breakdown__row">
          <Text>{a.label}</Text>
          <Text className="breakdown__amount">{a.amount < 0 ? `−${formatFen(-a.amount)}` : formatFen(a.amount)}</Text>
        </View>
      ))}
      <View className="breakdown__row">
        <Text>运费 Shipping</Text>
        <Text className="breakdown__shipping">
          {price.shippingFee === 0 ? '免运费 Free' : formatFen(price.shippingFee)}
        </Text>
      </View>
      {shippingNote}
      <View className="breakdown__row breakdown__row--total">
        <Text>{payableLabel}</Text>
        <Text className="breakdown__payable">{formatFen(price.payable)}</Text>
      </View>
    </View>
  );
}
