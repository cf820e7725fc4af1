/**
 * Coupon templates (what the marketer designs and publishes) and coupons (what a buyer holds):
 * the DTOs of the console's 优惠券 pages, the storefront's claim centre (领券中心), the
 * product page's coupons, and the wallet (我的优惠券). The pricing side (benefit, scope, why a
 * coupon does not apply) is in `./pricing/coupons.ts`. Amounts are integer fen; times UTC
 * ISO-8601 (the clients show China time). docs/decisions/0024-coupons.md.
 */
import { z } from 'zod';
import { CouponBenefit, CouponScope } from './pricing/coupons';
import { Instant, patchOf } from './schema';

/** The most coupons one template may ever issue. */
export const MAX_COUPON_STOCK = 1_000_000;
/** The most coupons of one template one buyer may hold over time. */
export const MAX_COUPONS_PER_BUYER = 100;
/** The longest "N days after receipt" validity. */
export const MAX_COUPON_VALID_DAYS = 365;

/** How long a received coupon is usable: a fixed window, or N days from the moment it is received. */
export const CouponValidity = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('window'), from: Instant, until: Instant })
    .refine((v) => Date.parse(v.until) > Date.parse(v.from), { path: ['until'], message: 'must be after from' }),
  z.object({
    kind: z.literal('days'),
    days: z
      .number({ error: 'must be a whole number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1')
      .max(MAX_COUPON_VALID_DAYS, `must be at most ${MAX_COUPON_VALID_DAYS}`),
  }),
]);
export type CouponValidity = z.infer<typeof CouponValidity>;

/** DRAFT (not yet issued), PUBLISHED (issuing), STOPPED (issues no more; coupons already held stay usable). */
export const CouponTemplateStatus = z.enum(['DRAFT', 'PUBLISHED', 'STOPPED']);
export type CouponTemplateStatus = z.infer<typeof CouponTemplateStatus>;

export const couponTemplateStatusLabel: Record<CouponTemplateStatus, string> = {
  DRAFT: '未发布 Draft',
  PUBLISHED: '发放中 Issuing',
  STOPPED: '已停发 Stopped',
};

/** How a buyer came to hold a coupon. */
export const CouponSource = z.enum(['claim', 'red_envelope', 'welcome', 'staff']);
export type CouponSource = z.infer<typeof CouponSource>;

export const couponSourceLabel: Record<CouponSource, string> = {
  claim: '领取 Claimed',
  red_envelope: '红包 Red envelope',
  welcome: '新人礼 Welcome gift',
  staff: '商家发放 From the shop',
};

/** A coupon's state: USABLE, LOCKED (held by an unpaid order), USED (its order paid), EXPIRED. */
export const CouponStatus = z.enum(['USABLE', 'LOCKED', 'USED', 'EXPIRED']);
export type CouponStatus = z.infer<typeof CouponStatus>;

export const couponStatusLabel: Record<CouponStatus, string> = {
  USABLE: '可使用 Usable',
  LOCKED: '待支付订单占用 In an unpaid order',
  USED: '已使用 Used',
  EXPIRED: '已过期 Expired',
};

const Title = z.string().trim().min(1, 'must not be blank').max(40, 'must be at most 40 characters');

/** What the marketer sets on a template (create); every field may be changed later (PATCH). */
export const CouponTemplateInput = z.object({
  /** The name buyers see above the amount: 新人专享, 中秋满减. */
  title: Title,
  benefit: CouponBenefit,
  scope: CouponScope,
  validity: CouponValidity,
  /** Coupons this template may issue in all (claims, red envelopes, gifts together). */
  totalStock: z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_COUPON_STOCK, `must be at most ${MAX_COUPON_STOCK}`),
  /** Coupons of this template one buyer may receive, ever. */
  perBuyerLimit: z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_COUPONS_PER_BUYER, `must be at most ${MAX_COUPONS_PER_BUYER}`),
  /** false: using it gives up the member discount (checkout compares both ways). */
  stacksWithMemberDiscount: z.boolean(),
  /** Shown in the claim centre and on product pages for buyers to claim themselves. */
  claimable: z.boolean(),
});
export type CouponTemplateInput = z.input<typeof CouponTemplateInput>;

/**
 * A partial change: exactly the fields named. Changes apply to coupons issued afterwards;
 * coupons already held keep the terms they were issued with. `totalStock` may not go below
 * what has been issued.
 */
export const CouponTemplatePatch = patchOf(CouponTemplateInput);
export type CouponTemplatePatch = z.input<typeof CouponTemplatePatch>;

/**
 * Where a template came from: null for one the marketer made; a red-envelope pack's own
 * template (made with the pack, in its transaction) names the pack. Such a template is the
 * pack's: the coupon routes refuse to edit, publish, stop or give it (409), and the pack's
 * expiry stops it.
 */
export const CouponTemplateOrigin = z
  .object({ kind: z.literal('red_envelope'), packId: z.string(), packTitle: z.string() })
  .nullable();
export type CouponTemplateOrigin = z.infer<typeof CouponTemplateOrigin>;

export const CouponTemplate = z.object({
  id: z.string(),
  title: z.string(),
  benefit: CouponBenefit,
  /** The benefit in words: 满99减10 (¥10 off ¥99+). */
  benefitText: z.string(),
  scope: CouponScope,
  validity: CouponValidity,
  totalStock: z.number().int(),
  perBuyerLimit: z.number().int(),
  stacksWithMemberDiscount: z.boolean(),
  claimable: z.boolean(),
  status: CouponTemplateStatus,
  /** Coupons issued so far (all sources). */
  issued: z.number().int(),
  /** Of those, used on a paid order. */
  used: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  stoppedAt: z.string().nullable(),
  origin: CouponTemplateOrigin,
});
export type CouponTemplate = z.infer<typeof CouponTemplate>;

export const CouponTemplateListQuery = z.object({
  status: CouponTemplateStatus.optional(),
  /** The last id of the previous page (newest first). */
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const CouponTemplatePage = z.object({ items: z.array(CouponTemplate), nextCursor: z.string().nullable() });
export type CouponTemplatePage = z.infer<typeof CouponTemplatePage>;

/** A coupon the buyer may claim (claim centre, product page), with how many they already hold of it. */
export const ClaimableCoupon = z.object({
  templateId: z.string(),
  title: z.string(),
  benefit: CouponBenefit,
  benefitText: z.string(),
  scope: CouponScope,
  validity: CouponValidity,
  stacksWithMemberDiscount: z.boolean(),
  /** Coupons of it this buyer has received: "已领 1/2". */
  claimed: z.number().int(),
  perBuyerLimit: z.number().int(),
  /** Coupons left to claim, for everyone. */
  left: z.number().int(),
  /** The buyer may claim one now (not at their limit, stock left). */
  canClaim: z.boolean(),
});
export type ClaimableCoupon = z.infer<typeof ClaimableCoupon>;
export const ClaimableCouponList = z.object({ items: z.array(ClaimableCoupon) });
export type ClaimableCouponList = z.infer<typeof ClaimableCouponList>;

/** A coupon the buyer holds. */
export const BuyerCoupon = z.object({
  id: z.string(),
  templateId: z.string(),
  title: z.string(),
  benefit: CouponBenefit,
  benefitText: z.string(),
  scope: CouponScope,
  stacksWithMemberDiscount: z.boolean(),
  validFrom: z.string(),
  validUntil: z.string(),
  /** As of the answer: a coupon past its validUntil reads EXPIRED even before the expiry job ran. */
  status: CouponStatus,
  source: CouponSource,
  receivedAt: z.string(),
  /** The order holding (LOCKED) or that used (USED) it. */
  orderId: z.string().nullable(),
  usedAt: z.string().nullable(),
});
export type BuyerCoupon = z.infer<typeof BuyerCoupon>;

/** The wallet's tabs: usable (USABLE and LOCKED, soonest to expire first), used, expired. */
export const WalletTab = z.enum(['usable', 'used', 'expired']);
export type WalletTab = z.infer<typeof WalletTab>;

export const WalletQuery = z.object({
  tab: WalletTab.default('usable'),
  /** The cursor of the previous page's answer. */
  cursor: z.string().max(80).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const WalletPage = z.object({
  items: z.array(BuyerCoupon),
  nextCursor: z.string().nullable(),
  /** How many coupons each tab holds, for the tab titles. */
  counts: z.object({ usable: z.number().int(), used: z.number().int(), expired: z.number().int() }),
});
export type WalletPage = z.infer<typeof WalletPage>;

/** The client's idempotency key for one tap on 领取: a retry with the same key claims once. */
export const ClaimCouponRequest = z.object({
  requestKey: z.string().regex(/^[\w-]{8,64}$/, 'must be 8–64 letters, digits, _ or -'),
});
export const ClaimCouponResult = z.object({
  coupon: BuyerCoupon,
  claimed: z.number().int(),
  perBuyerLimit: z.number().int(),
});
export type ClaimCouponResult = z.infer<typeof ClaimCouponResult>;

/** Staff give a coupon to a buyer (a make-good after a complaint); idempotent on requestKey. */
export const StaffIssueCouponRequest = z.object({
  buyerId: z.string().min(1).max(40),
  requestKey: z.string().regex(/^[\w-]{8,64}$/, 'must be 8–64 letters, digits, _ or -'),
});
