/** Every TypeORM entity, registered once for the DataSource. */
import { OutboxEffectEntity, OutboxEventEntity } from '../kernel/outbox.entity';
import { PayNotificationEntity } from './payments/pay-notification.entity';
import { PaymentEntity } from './payments/payment.entity';
import { RefundEntity } from './payments/refund.entity';
import { AddressEntity } from './addresses/address.entity';
import { AuditLogEntity } from './auth/audit-log.entity';
import { BuyerEntity } from './auth/buyer.entity';
import { SessionEntity } from './auth/session.entity';
import { StaffEntity } from './auth/staff.entity';
import { CartItemEntity } from './cart/cart-item.entity';
import { CategoryEntity } from './catalog/category.entity';
import { ProductEntity } from './catalog/product.entity';
import { SkuEntity } from './catalog/sku.entity';
import { FavouriteEntity } from './favourites/favourite.entity';
import { OrderLineEntity } from './orders/order-line.entity';
import { OrderEntity } from './orders/order.entity';
import { CouponTemplateEntity } from './coupons/coupon-template.entity';
import { CouponEntity } from './coupons/coupon.entity';
import { CouponHoldingEntity } from './coupons/coupon-holding.entity';
import { ShopSettingsEntity } from './shop/shop-settings.entity';
import {
  AudienceBuyerEntity,
  AudienceConsentEntity,
  AudienceFollowerEntity,
  AudienceFollowerTagEntity,
  AudienceOrderEntity,
  AudienceSegmentEntity,
} from './audience/audience.entity';
import {
  CampaignClickEntity,
  CampaignEntity,
  CampaignMassMonthEntity,
  CampaignOrderEntity,
  CampaignReceiptEntity,
  CampaignRecipientEntity,
} from './campaigns/campaign.entity';
import {
  MemberCodeUseEntity,
  MemberEntity,
  MemberGrowthEntryEntity,
  MembershipProgrammeEntity,
  PointsEntryEntity,
  PointsLotEntity,
  TopUpEntity,
  WalletEntryEntity,
} from './membership/membership.entity';
import {
  RedEnvelopeGrabEntity,
  RedEnvelopeOpenEntity,
  RedEnvelopeOrderEntity,
  RedEnvelopePackEntity,
  RedEnvelopeShareEntity,
} from './red-envelopes/red-envelope.entity';
import { BuyerUploadEntity } from './media/buyer-upload.entity';
import { ProductRatingEntity } from './reviews/product-rating.entity';
import { ReviewEntity } from './reviews/review.entity';
import { BuyerSessionKeyEntity } from './auth/buyer-session-key.entity';
import { StaffWechatCodeEntity } from './auth/staff-wechat-code.entity';
import {
  DashboardAppliedEntity,
  DashboardBuyerEntity,
  DashboardDayEntity,
  DashboardGapEntity,
  DashboardHourEntity,
  DashboardProductEntity,
} from './dashboard/dashboard.entity';
import { FollowerEntity, FollowerSyncEntity, FollowerTagEntity, InboxMessageEntity } from './followers/follower.entity';
import { KeywordRuleEntity, ReplySettingEntity } from './auto-replies/auto-reply.entity';
import { TouchpointDayEntity, TouchpointEntity, TouchpointFirstOrderEntity } from './touchpoints/touchpoint.entity';

export const entities = [
  CategoryEntity,
  ProductEntity,
  SkuEntity,
  BuyerEntity,
  StaffEntity,
  SessionEntity,
  AuditLogEntity,
  CartItemEntity,
  FavouriteEntity,
  AddressEntity,
  OrderEntity,
  OrderLineEntity,
  PaymentEntity,
  RefundEntity,
  PayNotificationEntity,
  OutboxEventEntity,
  OutboxEffectEntity,
  ShopSettingsEntity,
  BuyerUploadEntity,
  ReviewEntity,
  ProductRatingEntity,
  BuyerSessionKeyEntity,
  StaffWechatCodeEntity,
  DashboardDayEntity,
  DashboardHourEntity,
  DashboardProductEntity,
  DashboardBuyerEntity,
  DashboardGapEntity,
  DashboardAppliedEntity,
  CouponTemplateEntity,
  CouponEntity,
  CouponHoldingEntity,
  RedEnvelopePackEntity,
  RedEnvelopeShareEntity,
  RedEnvelopeGrabEntity,
  RedEnvelopeOpenEntity,
  RedEnvelopeOrderEntity,
  MembershipProgrammeEntity,
  MemberEntity,
  MemberGrowthEntryEntity,
  PointsEntryEntity,
  PointsLotEntity,
  WalletEntryEntity,
  TopUpEntity,
  MemberCodeUseEntity,
  FollowerEntity,
  InboxMessageEntity,
  FollowerSyncEntity,
  FollowerTagEntity,
  KeywordRuleEntity,
  ReplySettingEntity,
  TouchpointEntity,
  TouchpointDayEntity,
  TouchpointFirstOrderEntity,
  AudienceFollowerEntity,
  AudienceFollowerTagEntity,
  AudienceBuyerEntity,
  AudienceOrderEntity,
  AudienceConsentEntity,
  AudienceSegmentEntity,
  CampaignEntity,
  CampaignRecipientEntity,
  CampaignMassMonthEntity,
  CampaignClickEntity,
  CampaignOrderEntity,
  CampaignReceiptEntity,
];
