import { Text, View } from '@tarojs/components';
import { formatFen, type CheckoutPrice, type Member } from '@chatmall/shared';
import './MemberPayment.css';

export interface MemberPay {
  points: boolean;
  balance: boolean;
}

/** The request fields for the member's choice: as many points as allowed, the balance up to what is left. */
export function memberPayFields(pay: MemberPay): { points: 'max' | 0; useBalance: boolean } {
  return { points: pay.points ? 'max' : 0, useBalance: pay.balance };
}

/**
 * 积分抵扣 and 余额支付 at checkout, for a member (nothing for a buyer who has not joined): each
 * a row the buyer turns on or off; what it takes comes from the server's priced answer.
 */
export function MemberPayment({
  member,
  price,
  pay,
  onChange,
}: {
  member: Member | null;
  price: CheckoutPrice | null;
  pay: MemberPay;
  onChange: (pay: MemberPay) => void;
}) {
  if (!member) return null;
  const allowed = price?.pointsAllowed ?? { points: 0, fen: 0 };
  const used = price?.payment;
  return (
    <View className="card checkout-member">
      <View
        className={`checkout-member__row checkout-member__points${pay.points ? ' checkout-member__row--on' : ''}`}
        onClick={() => allowed.points > 0 && onChange({ ...pay, points: !pay.points })}
      >
        <View className="checkout-member__left">
          <Text className="checkout-member__title">积分抵扣 Points</Text>
          <Text className="checkout-member__hint">
            {allowed.points > 0
              ? `可用 ${allowed.points} 积分抵 ${formatFen(allowed.fen)}（共 ${member.points}）`
              : `共 ${member.points} 积分，本单不可用`}
          </Text>
        </View>
        <Text className="checkout-member__value">
          {pay.points && used && used.pointsFen > 0 ? `−${formatFen(used.pointsFen)}` : ''}
        </Text>
        <View className={`checkout-member__switch${pay.points ? ' checkout-member__switch--on' : ''}`} />
      </View>
      <View
        className={`checkout-member__row checkout-member__balance${pay.balance ? ' checkout-member__row--on' : ''}`}
        onClick={() => member.balance.total > 0 && onChange({ ...pay, balance: !pay.balance })}
      >
        <View className="checkout-member__left">
          <Text className="checkout-member__title">余额支付 Balance</Text>
          <Text className="checkout-member__hint">可用余额 {formatFen(member.balance.total)}</Text>
        </View>
        <Text className="checkout-member__value">
          {pay.balance && used && used.balance > 0 ? `−${formatFen(used.balance)}` : ''}
        </Text>
        <View className={`checkout-member__switch${pay.balance ? ' checkout-member__switch--on' : ''}`} />
      </View>
      {used && (used.pointsFen > 0 || used.balance > 0) && (
        <View className="checkout-member__row checkout-member__rest">
          <Text className="checkout-member__title">还需微信支付 WeChat Pay</Text>
          <Text className="checkout-member__rest-value">{formatFen(used.wechat)}</Text>
        </View>
      )}
    </View>
  );
}
