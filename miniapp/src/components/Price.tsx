import { Text, View } from '@tarojs/components';
import { formatFen } from '@chatmall/shared';
import './Price.css';

interface PriceProps {
  fen: number;
  /** The crossed-out "was" price. */
  originalFen?: number | null;
  /** Show "起" after the price: the product's cheapest SKU, others cost more. */
  from?: boolean;
  size?: 'normal' | 'large';
  className?: string;
}

export function Price({ fen, originalFen, from = false, size = 'normal', className = '' }: PriceProps) {
  return (
    <View className={`price price--${size} ${className}`}>
      <Text className="price__now">{formatFen(fen)}</Text>
      {from && <Text className="price__from">起</Text>}
      {originalFen != null && originalFen > fen && <Text className="price__was">{formatFen(originalFen)}</Text>}
    </View>
  );
}
