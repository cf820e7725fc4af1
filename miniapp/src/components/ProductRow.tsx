import type { ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { Price } from './Price';
import { mediaUrl } from '../services/media';
import { productUrl } from '../routes';
import './ProductRow.css';

interface ProductRowProps {
  id: string;
  name: string;
  nameEn: string;
  subtitle?: string;
  cover: string;
  priceFrom: number;
  priceTo?: number;
  soldOut?: boolean;
  /** Buyers' rating, when there is one. */
  rating?: { average: number; count: number } | null;
  className?: string;
  /** Shown at the right of the price line (e.g. a remove button). */
  extra?: ReactNode;
}

/**
 * A product as one list row: image left, name and price right. Tapping opens the product.
 * A `ProductSummary` from the API can be spread straight in.
 */
export function ProductRow(p: ProductRowProps) {
  return (
    <View
      className={`product-row${p.soldOut ? ' product-row--sold-out' : ''} ${p.className ?? ''}`}
      onClick={() => void Taro.navigateTo({ url: productUrl(p.id) })}
    >
      <Image className="product-row__image" src={mediaUrl(p.cover)} mode="aspectFill" lazyLoad />
      <View className="product-row__body">
        <Text className="product-row__name one-line-title">{p.name}</Text>
        <Text className="product-row__name-en one-line-title-en">{p.nameEn}</Text>
        {p.subtitle && <Text className="product-row__subtitle">{p.subtitle}</Text>}
        {p.rating && p.rating.count > 0 && (
          <Text className="rating-line product-row__rating">
            ★ {p.rating.average.toFixed(1)} · {p.rating.count} 条评价
          </Text>
        )}
        <View className="product-row__foot">
          <Price fen={p.priceFrom} from={p.priceTo !== undefined && p.priceFrom < p.priceTo} />
          {p.soldOut && <Text className="product-row__sold-out">售罄</Text>}
          {p.extra}
        </View>
      </View>
    </View>
  );
}
