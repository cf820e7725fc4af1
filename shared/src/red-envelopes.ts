/**
 * Group red-envelope packs (群红包券): what the marketer creates in the console or the merchant
 * pages, what a buyer sees and grabs on the pack's page, and the console's statistics per pack.
 * A pack's budget is split into shares once, at creation (`splitRedEnvelope`); each grabbed
 * share becomes a coupon worth the share. Amounts are integer fen; times UTC ISO-8601.
 * docs/decisions/0025-red-envelopes.md.
 */
import { z } from 'zod';
import { MAX_ORDER_TOTAL, MAX_PRICE } from './money';
import { CouponScope, type CouponBenefit } from './pricing/coupons';
import { CouponValidity, BuyerCoupon } from './coupons';
import { RedEnvelopeSplitMode, MAX_RED_ENVELOPE_SHARES } from './red-envelope';
import { pagePaths, pageUrl } from './routes';

/** The longest a pack may stay open. */
export const MAX_RED_ENVELOPE_HOURS = 7 * 24;
/** The most a share's threshold may be, as a multiple of the share (满 3× 减 1×). */
export const MAX_THRESHOLD_MULTIPLE = 100;

/** The pack's page in the mini-program (`pagePaths.redEnvelope`, in the pkg-redpack subpackage). */
export const RED_ENVELOPE_PAGE = pagePaths.redEnvelope;
/** The share path of a pack (`onShareAppMessage`'s path): the page with the pack and the buyer who shares it. */
export function redEnvelopeSharePath(packId: string, sharer?: string | null): string {
  return pageUrl('redEnvelope', { id: packId, from: sharer ?? undefined });
}

const wholeFen = (what: string) =>
  z.number({ error: `${what} must be an amount in fen (an integer)` }).int(`${what} must be an integer number of fen`);

/**
 * The threshold of the coupon a share becomes: none (无门槛), a multiple of the share (a ¥3.20
 * share with multiple 10 is 满32减3.2), or one fixed amount for every share.
 */
export const RedEnvelopeThreshold = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('multiple'),
    multiple: z
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_THRESHOLD_MULTIPLE, `must be at most ${MAX_THRESHOLD_MULTIPLE}`),
  }),
  z.object({
    kind: z.literal('fixed'),
    threshold: wholeFen('threshold')
      .min(1, 'must be at least 1 fen')
      .max(MAX_ORDER_TOTAL, `must be at most ${MAX_ORDER_TOTAL} fen`),
  }),
]);
export type RedEnvelopeThreshold = z.infer<typeof RedEnvelopeThreshold>;

/** The coupon every share becomes (its amount is the share's). */
export const RedEnvelopeCouponDesign = z.object({
  /** The name above the amount in the buyer's wallet: 群红包券. */
  title: z.string().trim().min(1, 'must not be blank').max(40, 'must be at most 40 characters'),
  threshold: RedEnvelopeThreshold,
  scope: CouponScope,
  validity: CouponValidity,
  stacksWithMemberDiscount: z.boolean().default(true),
});
export type RedEnvelopeCouponDesign = z.infer<typeof RedEnvelopeCouponDesign>;

/** The coupon terms of one share of `amount` fen under a design. */
export function shareBenefit(threshold: RedEnvelopeThreshold, amount: number): CouponBenefit {
  switch (threshold.kind) {
    case 'none':
      return { kind: 'no_threshold', amountOff: amount };
    case 'multiple':
      return {
        kind: 'amount_off',
        amountOff: amount,
        threshold: Math.min(MAX_ORDER_TOTAL, amount * threshold.multiple),
      };
    case 'fixed':
      return { kind: 'amount_off', amountOff: amount, threshold: threshold.threshold };
  }
}

/** The largest share a split can draw (random: twice the mean; equal: the mean rounded up). */
export function largestShare(budget: number, shares: number, split: RedEnvelopeSplitMode): number {
  return split === 'equal' ? Math.ceil(budget / shares) : Math.floor((2 * budget) / shares);
}

export const CreateRedEnvelopePackRequest = z
  .object({
    /** The share card's title: 店庆红包，手慢无！ */
    title: z.string().trim().min(1, 'must not be blank').max(40, 'must be at most 40 characters'),
    /** The share card's image (5:4), generated locally by the client; none: the page's screenshot. */
    imageUrl: z.string().trim().max(500, 'must be at most 500 characters').nullable().default(null),
    budget: wholeFen('budget')
      .min(1, 'must be at least 1 fen')
      .max(MAX_ORDER_TOTAL, `must be at most ${MAX_ORDER_TOTAL} fen`),
    shares: z
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_RED_ENVELOPE_SHARES, `must be at most ${MAX_RED_ENVELOPE_SHARES}`),
    split: RedEnvelopeSplitMode,
    minimumShare: wholeFen('minimumShare')
      .min(1, 'must be at least 1 fen')
      .max(MAX_PRICE, `must be at most ${MAX_PRICE} fen`),
    coupon: RedEnvelopeCouponDesign,
    /** Only members of the group(s) it was shared into may grab. */
    groupOnly: z.boolean().default(false),
    /** Only buyers without a paid order may grab. */
    newBuyersOnly: z.boolean().default(false),
    /** Hours from creation until grabbing stops and what is left returns (default 24). */
    expiresInHours: z
      .number({ error: 'must be a whole number of hours' })
      .int('must be a whole number of hours')
      .min(1, 'must be at least 1')
      .max(MAX_RED_ENVELOPE_HOURS, `must be at most ${MAX_RED_ENVELOPE_HOURS}`)
      .default(24),
  })
  .superRefine((v, ctx) => {
    if (v.budget < v.shares * v.minimumShare)
      ctx.addIssue({
        code: 'custom',
        path: ['budget'],
        message: `must be at least shares × minimumShare (${v.shares * v.minimumShare} fen)`,
      });
    if (largestShare(v.budget, v.shares, v.split) > MAX_PRICE)
      ctx.addIssue({
        code: 'custom',
        path: ['shares'],
        message: `too few for this budget: a share could exceed ${MAX_PRICE} fen`,
      });
  });
export type CreateRedEnvelopePackRequest = z.input<typeof CreateRedEnvelopePackRequest>;

/** ACTIVE: open for grabs; EXPIRED: grabbing stopped and what was left is returned. */
export const RedEnvelopePackStatus = z.enum(['ACTIVE', 'EXPIRED']);
export type RedEnvelopePackStatus = z.infer<typeof RedEnvelopePackStatus>;

const count = z.number().int();
const CountAmount = z.object({ count, amount: count });

export const RedEnvelopePack = z.object({
  id: z.string(),
  title: z.string(),
  imageUrl: z.string().nullable(),
  budget: count,
  shares: count,
  split: RedEnvelopeSplitMode,
  minimumShare: count,
  coupon: RedEnvelopeCouponDesign,
  /** The coupon template its shares are issued from (stock = shares, one per buyer). */
  couponTemplateId: z.string(),
  groupOnly: z.boolean(),
  newBuyersOnly: z.boolean(),
  status: RedEnvelopePackStatus,
  expiresAt: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** What the marketer shares: the page with this pack (no sharer: the shop's own share). */
  sharePath: z.string(),
});
export type RedEnvelopePack = z.infer<typeof RedEnvelopePack>;

/** One share link: a sharer (null: the shop's own card) sharing the pack into a group (null: a single chat or unknown). */
export const RedEnvelopeShareLink = z.object({
  sharerId: z.string().nullable(),
  sharerName: z.string().nullable(),
  /** A short stable label for the group (WeChat's group id is not shown). */
  groupKey: z.string().nullable(),
  /** Buyers who first opened the pack through this link. */
  opens: count,
  grabs: count,
  grabbedAmount: count,
  orders: count,
  gmv: count,
  firstOpenedAt: z.string(),
});
export type RedEnvelopeShareLink = z.infer<typeof RedEnvelopeShareLink>;

/** A node of the share tree: the shop (`origin`) or a buyer, with what they grabbed and brought. */
export const RedEnvelopeTreeNode = z.object({
  id: z.string(),
  name: z.string(),
  /** Who brought them (the sharer of the link they first opened through); null for the origin. */
  parentId: z.string().nullable(),
  groupKey: z.string().nullable(),
  grabbed: count.nullable(),
  orders: count,
  gmv: count,
  /** Buyers who opened it through them. */
  brought: count,
});
export type RedEnvelopeTreeNode = z.infer<typeof RedEnvelopeTreeNode>;

/** The console's numbers for one pack. */
export const RedEnvelopePackStats = z.object({
  funded: CountAmount,
  /** Grabs recorded in the database (each one a coupon issued). */
  grabbed: CountAmount,
  /** Grabs answered but not yet recorded (the job is on its way). */
  pendingGrabs: count,
  /** Coupons from this pack used on paid orders (amount: what they took off). */
  used: CountAmount,
  /** Shares given back when the pack expired. */
  returned: CountAmount,
  /** Shares still to grab (0 once expired). */
  left: CountAmount,
  orders: count,
  /** What the paid orders that used its coupons came to. */
  gmv: count,
  links: z.array(RedEnvelopeShareLink),
  tree: z.array(RedEnvelopeTreeNode),
});
export type RedEnvelopePackStats = z.infer<typeof RedEnvelopePackStats>;

/** One recorded grab as the console lists it. */
export const RedEnvelopePackGrab = z.object({
  /** The buyer (the console shows it masked). */
  buyerId: z.string(),
  nickname: z.string(),
  amount: count,
  /** When Redis accepted it (ISO; the console shows China time). */
  grabbedAt: z.string(),
  /** Who shared the card they first opened it through (null: the shop's own card). */
  sharerId: z.string().nullable(),
  /** 手气最佳: the largest amount of the pack; of equal amounts, the earliest grab. */
  luckiest: z.boolean(),
});
export type RedEnvelopePackGrab = z.infer<typeof RedEnvelopePackGrab>;

/** At most this many grabs are listed with a pack (newest first); `stats.grabbed.count` has them all. */
export const PACK_DETAIL_GRABS_MAX = 200;

export const RedEnvelopePackDetail = z.object({
  pack: RedEnvelopePack,
  stats: RedEnvelopePackStats,
  /** Recorded grabs, newest first, at most PACK_DETAIL_GRABS_MAX. */
  grabs: z.array(RedEnvelopePackGrab).max(PACK_DETAIL_GRABS_MAX),
});
export type RedEnvelopePackDetail = z.infer<typeof RedEnvelopePackDetail>;

export const RedEnvelopePackSummary = RedEnvelopePack.extend({
  grabbed: CountAmount,
  orders: count,
  gmv: count,
});
export type RedEnvelopePackSummary = z.infer<typeof RedEnvelopePackSummary>;

export const RedEnvelopePackListQuery = z.object({
  status: RedEnvelopePackStatus.optional(),
  /** The last id of the previous page (newest first). */
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const RedEnvelopePackPage = z.object({
  items: z.array(RedEnvelopePackSummary),
  nextCursor: z.string().nullable(),
});
export type RedEnvelopePackPage = z.infer<typeof RedEnvelopePackPage>;

// ------------------------------------------------------------------ the buyer's page

/** What `wx.getGroupEnterInfo` (or the older `wx.getShareInfo`) gave the page: sent as is, decrypted by the server. */
export const EncryptedGroupInfo = z.object({
  iv: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  encryptedData: z.string().min(1, 'must not be empty').max(4096, 'must be at most 4096 characters'),
});
export type EncryptedGroupInfo = z.infer<typeof EncryptedGroupInfo>;

/** The open and grab calls: who shared the card (the page's `from`) and the chat it was opened in (none: not from a chat). */
export const RedEnvelopeOpenRequest = z.object({
  sharer: z
    .string()
    .regex(/^[\w-]{1,40}$/, 'must be a buyer id')
    .nullable()
    .default(null),
  group: EncryptedGroupInfo.nullable().default(null),
});
export type RedEnvelopeOpenRequest = z.input<typeof RedEnvelopeOpenRequest>;

/**
 * Where the buyer stands with a pack: CAN_GRAB; ALREADY_GRABBED (their amount is `mine`);
 * ALL_GONE (手慢了，红包派完了); EXPIRED; GROUP_ONLY (only members of the group it was shared
 * into); NOT_FROM_GROUP (a group-only pack opened from a single chat or outside WeChat);
 * NOT_NEW_BUYER (for new buyers only).
 */
export const RedEnvelopeState = z.enum([
  'CAN_GRAB',
  'ALREADY_GRABBED',
  'ALL_GONE',
  'EXPIRED',
  'GROUP_ONLY',
  'NOT_FROM_GROUP',
  'NOT_NEW_BUYER',
]);
export type RedEnvelopeState = z.infer<typeof RedEnvelopeState>;

export const redEnvelopeStateMessage: Record<RedEnvelopeState, string> = {
  CAN_GRAB: '拆红包 (open it)',
  ALREADY_GRABBED: '你已经抢过这个红包了 (you already grabbed this one)',
  ALL_GONE: '手慢了，红包派完了 (all gone)',
  EXPIRED: '红包已过期 (this red envelope has expired)',
  GROUP_ONLY: '仅限分享群内成员领取 (only for members of the group it was shared into)',
  NOT_FROM_GROUP: '请从群聊中打开领取 (open it from the group chat to grab)',
  NOT_NEW_BUYER: '仅限新客领取 (for buyers who have not ordered yet)',
};

/** Someone's grab as the page lists it (names and avatars are placeholders until profiles exist). */
export const RedEnvelopeGrabView = z.object({
  nickname: z.string(),
  avatarUrl: z.string().nullable(),
  amount: count,
  grabbedAt: z.string(),
  /** 手气最佳: the largest so far (`luckiestFinal` says whether it can still change). */
  luckiest: z.boolean(),
  isMe: z.boolean(),
});
export type RedEnvelopeGrabView = z.infer<typeof RedEnvelopeGrabView>;

export const RedEnvelopeView = z.object({
  id: z.string(),
  title: z.string(),
  imageUrl: z.string().nullable(),
  /** The coupon a share becomes, in words: 满10倍可用 / 满99可用 / 无门槛. */
  couponTitle: z.string(),
  couponTerms: z.string(),
  budget: count,
  shares: count,
  grabbedCount: count,
  grabbedAmount: count,
  groupOnly: z.boolean(),
  newBuyersOnly: z.boolean(),
  expiresAt: z.string(),
  state: RedEnvelopeState,
  message: z.string(),
  /** The buyer's own grab; `coupon` is null for the moment between the grab and its issue. */
  mine: z.object({ amount: count, grabbedAt: z.string(), coupon: BuyerCoupon.nullable() }).nullable(),
  /** Latest first, at most 100. */
  grabs: z.array(RedEnvelopeGrabView),
  luckiestFinal: z.boolean(),
  /** The path to share it onward (the buyer as sharer). */
  sharePath: z.string(),
});
export type RedEnvelopeView = z.infer<typeof RedEnvelopeView>;

export const RedEnvelopeGrabOutcome = z.enum([
  'GRABBED',
  'ALREADY_GRABBED',
  'ALL_GONE',
  'EXPIRED',
  'GROUP_ONLY',
  'NOT_FROM_GROUP',
  'NOT_NEW_BUYER',
]);
export type RedEnvelopeGrabOutcome = z.infer<typeof RedEnvelopeGrabOutcome>;

/** The grab's answer, at once: the amount (GRABBED, ALREADY_GRABBED) or why not. The coupon follows within moments. */
export const RedEnvelopeGrabResult = z.object({
  outcome: RedEnvelopeGrabOutcome,
  amount: count.nullable(),
  message: z.string(),
});
export type RedEnvelopeGrabResult = z.infer<typeof RedEnvelopeGrabResult>;

export const grabOutcomeMessage: Record<RedEnvelopeGrabOutcome, string> = {
  ...redEnvelopeStateMessage,
  GRABBED: '恭喜抢到红包券 (you got a coupon)',
};
