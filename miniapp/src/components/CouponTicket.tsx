import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import type { CouponBenefit } from '@chatmall/shared';
import { couponFace } from './coupon-text';
import './CouponTicket.css';

/**
 * One coupon as a ticket: the face (¥10 / 8折 and its condition) on the left, the title and
 * lines on the right, an action (claim, use) at the end. `dim` for used and expired ones.
 */
export function CouponTicket(props: {
  benefit: CouponBenefit;
  title: string;
  lines: string[];
  action?: ReactNode;
  tag?: string;
  dim?: boolean;
  className?: string;
}) {
  const face = couponFace(props.benefit);
  return (
    <View className={`coupon-ticket${props.dim ? ' coupon-ticket--dim' : ''} ${props.className ?? ''}`}>
      <View className="coupon-ticket__face">
        <View className="coupon-ticket__value">
          {face.unit === '¥' && <Text className="coupon-ticket__unit">¥</Text>}
          <Text className="coupon-ticket__amount">{face.value}</Text>
          {face.unit === '折' && <Text className="coupon-ticket__unit">折</Text>}
        </View>
        {face.conditions.map((c) => (
          <Text key={c} className="coupon-ticket__condition">
            {c}
          </Text>
        ))}
      </View>
      <View className="coupon-ticket__body">
        <View className="coupon-ticket__head">
          {props.tag && <Text className="coupon-ticket__tag">{props.tag}</Text>}
          <Text className="coupon-ticket__title">{props.title}</Text>
        </View>
        {props.lines.map((line) => (
          <Text key={line} className="coupon-ticket__line">
            {line}
          </Text>
        ))}
        {props.action && <View className="coupon-ticket__action">{props.action}</View>}
      </View>
    </View>
  );
}
