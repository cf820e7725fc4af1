import { Text, View } from '@tarojs/components';
import type { Address, Order } from '@chatmall/shared';

/** Who and where: one address as a block of text. */
export function AddressCard({ address }: { address: Order['address'] | Address }) {
  return (
    <View className="address-card">
      <View className="address-card__who">
        <Text className="address-card__recipient">{address.recipient}</Text>
        <Text className="address-card__phone">{address.phone}</Text>
        {'isDefault' in address && address.isDefault && <Text className="address-card__default">默认</Text>}
      </View>
      <Text className="address-card__where">
        {address.province} {address.city} {address.district} {address.detail}
      </Text>
    </View>
  );
}
