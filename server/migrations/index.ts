/** Every migration, in order. New migrations are appended here. */
import { Catalog1763769600000 } from './1763769600000-catalog';
import { Commerce1763856000000 } from './1763856000000-commerce';
import { Payments1763942400000 } from './1763942400000-payments';
import { Refunds1763946000000 } from './1763946000000-refunds';
import { ShopSettings1764028800000 } from './1764028800000-shop-settings';
import { AfterSalesAndReviews1764201600000 } from './1764201600000-after-sales-and-reviews';
import { UniqueKeys1764288000000 } from './1764288000000-unique-keys';
import { AuthHardening1764374400000 } from './1764374400000-auth-hardening';
import { Dashboard1764547200000 } from './1764547200000-dashboard';
import { OrderShipped1764633600000 } from './1764633600000-order-shipped';
import { StaffWechatCodes1764648000000 } from './1764648000000-staff-wechat-codes';
import { Coupons1764720000000 } from './1764720000000-coupons';
import { OrderLineDiscounts1764723600000 } from './1764723600000-order-line-discounts';
import { RedEnvelopes1764806400000 } from './1764806400000-red-envelopes';
import { CouponTemplateOrigin1764892800000 } from './1764892800000-coupon-template-origin';
import { Campaigns1765152000000 } from './1765152000000-campaigns';
import { Membership1764979200000 } from './1764979200000-membership';
import { MembershipCheckout1765065500000 } from './1765065500000-membership-checkout';
import { FollowersAutoReplies1765065600000 } from './1765065600000-followers-auto-replies';
import { Touchpoints1765069200000 } from './1765069200000-touchpoints';

export const migrations = [
  Catalog1763769600000,
  Commerce1763856000000,
  Payments1763942400000,
  Refunds1763946000000,
  ShopSettings1764028800000,
  AfterSalesAndReviews1764201600000,
  UniqueKeys1764288000000,
  AuthHardening1764374400000,
  Dashboard1764547200000,
  OrderShipped1764633600000,
  StaffWechatCodes1764648000000,
  Coupons1764720000000,
  OrderLineDiscounts1764723600000,
  RedEnvelopes1764806400000,
  CouponTemplateOrigin1764892800000,
  Campaigns1765152000000,
  Membership1764979200000,
  MembershipCheckout1765065500000,
  FollowersAutoReplies1765065600000,
  Touchpoints1765069200000,
];
