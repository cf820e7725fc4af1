/**
 * Membership (issue 15): the programme the owner sets (levels, earning, points value, expiry,
 * top-up tiers), the member a buyer becomes, the two ledgers (points in lots; stored value as
 * principal and bonus apart), top-ups, the rotating member code and the counter's actions.
 * Money is integer fen; points are whole points; times are UTC ISO-8601.
 */
import { z } from 'zod';
import { Fen, Price } from './money';
import { PointsRule } from './pricing/member';

const name = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** A request key a client makes once per tap, so a retry does the thing once. */
export const RequestKey = z.string().regex(/^[\w-]{8,64}$/, 'must be 8–64 letters, digits, _ or -');

/** What a level's threshold is measured in: paid spend in fen, or growth points (1 per yuan paid). */
export const LevelBasis = z.enum(['spend', 'growth']);
export type LevelBasis = z.infer<typeof LevelBasis>;

export const MembershipLevel = z.object({
  name: name(20),
  /** Reached at this cumulative spend (fen) or growth; the first level's is 0. */
  threshold: z.number().int('must be a whole number').nonnegative('must not be negative').max(1_000_000_000),
  /** Percent off eligible lines: 5 is 95折. */
  discountPercent: z.number().int('must be a whole percent').min(0).max(90, 'must be at most 90'),
  /** Points earned per point the base rate gives, in percent: 150 is 1.5×. */
  pointsMultiplierPercent: z.number().int('must be a whole percent').min(100, 'must be at least 100').max(1000),
  freeShipping: z.boolean(),
});
export type MembershipLevel = z.infer<typeof MembershipLevel>;

export const PointsEarning = z.object({
  /** Points per whole yuan paid (online or at the counter), before the level's multiplier. 0: none. */
  pointsPerYuan: z.number().int('must be a whole number').min(0).max(100),
  /** When an order's points arrive: when it is paid, or when it completes (after the return window). */
  when: z.enum(['paid', 'completed']),
});
export type PointsEarning = z.infer<typeof PointsEarning>;

/** never, or: points earned in a year expire at the end of the next year (China time). */
export const PointsExpiry = z.object({ kind: z.enum(['never', 'end_of_next_year']) });
export type PointsExpiry = z.infer<typeof PointsExpiry>;

/** Pay ¥100 get ¥110: `pay` 10000, `bonus` 1000. */
export const TopUpTier = z.object({
  pay: Price.min(100, 'must be at least ¥1'),
  bonus: Fen.max(9_999_999),
});
export type TopUpTier = z.infer<typeof TopUpTier>;

export const ProgrammeSettings = z
  .object({
    /** Off: nobody can join; members keep what they hold. */
    enabled: z.boolean(),
    levelBasis: LevelBasis,
    levels: z.array(MembershipLevel).min(1, 'must have at least one level').max(10, 'must have at most 10 levels'),
    earning: PointsEarning,
    pointsRule: PointsRule,
    expiry: PointsExpiry,
    topUpTiers: z.array(TopUpTier).max(8, 'must have at most 8 tiers'),
  })
  .superRefine((p, ctx) => {
    if (p.levels[0] && p.levels[0].threshold !== 0)
      ctx.addIssue({ code: 'custom', path: ['levels', 0, 'threshold'], message: 'the first level starts at 0' });
    for (let i = 1; i < p.levels.length; i++) {
      if (p.levels[i].threshold <= p.levels[i - 1].threshold)
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i, 'threshold'],
          message: 'must be above the previous level’s',
        });
    }
    const pays = new Set<number>();
    p.topUpTiers.forEach((t, i) => {
      if (pays.has(t.pay))
        ctx.addIssue({ code: 'custom', path: ['topUpTiers', i, 'pay'], message: 'another tier has this amount' });
      pays.add(t.pay);
    });
  });
export type ProgrammeSettings = z.infer<typeof ProgrammeSettings>;

export const Programme = z.object({
  settings: ProgrammeSettings,
  /** Counts up on each save; null until the owner first saves (defaults shown). */
  version: z.number().int().nullable(),
  updatedAt: z.string().nullable(),
});
export type Programme = z.infer<typeof Programme>;

export const JoinRequest = z.object({
  /** `e.detail.code` of the getPhoneNumber button (not the wx.login code): single use, 5 minutes. */
  phoneCode: z.string().min(1, 'must not be empty').max(128),
  name: name(20).optional(),
});

export const LevelView = z.object({
  index: z.number().int(),
  name: z.string(),
  discountPercent: z.number().int(),
  pointsMultiplierPercent: z.number().int(),
  freeShipping: z.boolean(),
  threshold: z.number().int(),
});
export type LevelView = z.infer<typeof LevelView>;

export const Balance = z.object({ total: Fen, principal: Fen, bonus: Fen });
export type Balance = z.infer<typeof Balance>;

/** The member centre's view (and the console's member row). */
export const Member = z.object({
  id: z.string(),
  memberNo: z.string(),
  buyerId: z.string(),
  /** 138****8000 for the buyer's own view and lists; the console's detail shows it whole. */
  phone: z.string(),
  name: z.string().nullable(),
  level: LevelView,
  /** The next level and what is still missing in the basis's unit; null at the top. */
  nextLevel: z.object({ name: z.string(), threshold: z.number().int(), missing: z.number().int() }).nullable(),
  levelBasis: LevelBasis,
  /** Cumulative paid spend (fen) and growth, net of refunds, online and at the counter. */
  spendTotal: Fen,
  growth: z.number().int(),
  points: z.number().int(),
  balance: Balance,
  joinedAt: z.string(),
  card: z.object({ status: z.enum(['NONE', 'ACTIVE', 'REMOVED']) }),
});
export type Member = z.infer<typeof Member>;

export const MyMembership = z.object({ member: Member.nullable(), programmeEnabled: z.boolean() });
export type MyMembership = z.infer<typeof MyMembership>;

export const PointsEntryKind = z.enum(['EARN', 'REVERSE', 'REDEEM', 'RESTORE', 'ADJUST', 'EXPIRE', 'OFFLINE']);
export type PointsEntryKind = z.infer<typeof PointsEntryKind>;

export const PointsEntry = z.object({
  id: z.string(),
  kind: PointsEntryKind,
  /** Positive in, negative out. */
  delta: z.number().int(),
  balanceAfter: z.number().int(),
  /** What the member reads: 订单 2026… 获得积分. */
  record: z.string(),
  orderNo: z.string().nullable(),
  /** For ADJUST: the staff member and the reason. */
  actorId: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
});
export type PointsEntry = z.infer<typeof PointsEntry>;

export const WalletEntryKind = z.enum(['TOP_UP', 'TOP_UP_REFUND', 'ORDER_PAYMENT', 'ORDER_REFUND', 'COUNTER_PAYMENT']);
export type WalletEntryKind = z.infer<typeof WalletEntryKind>;

export const WalletEntry = z.object({
  id: z.string(),
  kind: WalletEntryKind,
  /** Positive in, negative out; principal and bonus apart. */
  principal: z.number().int(),
  bonus: z.number().int(),
  balanceAfter: Balance,
  record: z.string(),
  ref: z.string().nullable(),
  createdAt: z.string(),
});
export type WalletEntry = z.infer<typeof WalletEntry>;

export const LedgerQuery = z.object({
  /** The last id of the previous page (newest first). */
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const PointsPage = z.object({ items: z.array(PointsEntry), nextCursor: z.string().nullable() });
export type PointsPage = z.infer<typeof PointsPage>;
export const WalletEntryPage = z.object({ items: z.array(WalletEntry), nextCursor: z.string().nullable() });
export type WalletEntryPage = z.infer<typeof WalletEntryPage>;

export const MemberListQuery = z.object({
  /** Part of a name, or of a phone number (at least 4 digits). */
  q: z.string().trim().max(40).optional(),
  level: z.coerce.number().int().min(0).max(9).optional(),
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const MemberPage = z.object({ items: z.array(Member), nextCursor: z.string().nullable() });
export type MemberPage = z.infer<typeof MemberPage>;

export const PointsAdjustmentRequest = z.object({
  /** Points to add (positive) or take (negative); not 0. */
  delta: z
    .number()
    .int('must be a whole number of points')
    .min(-1_000_000)
    .max(1_000_000)
    .refine((d) => d !== 0, 'must not be 0'),
  reason: name(100),
  requestKey: RequestKey,
});

export const TopUpRequest = z.object({
  /** The tier's `pay` amount, as the programme lists it. */
  pay: Price,
  requestKey: RequestKey,
});

/** CLOSED: never paid within its window (closed at WeChat Pay too). */
export const TopUpStatus = z.enum(['PENDING', 'PAID', 'REFUNDING', 'REFUNDED', 'CLOSED']);
export const TopUp = z.object({
  id: z.string(),
  outTradeNo: z.string(),
  pay: Fen,
  bonus: Fen,
  status: TopUpStatus,
  paidAt: z.string().nullable(),
  refundedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TopUp = z.infer<typeof TopUp>;

export const TopUpPayment = z.object({
  topUp: TopUp,
  prepayId: z.string(),
  requestPayment: z.object({
    appId: z.string(),
    timeStamp: z.string(),
    nonceStr: z.string(),
    package: z.string(),
    signType: z.string(),
    paySign: z.string(),
  }),
  /** The sandbox cashier's page for this prepay (H5 builds pay there). */
  cashierUrl: z.string(),
});
export type TopUpPayment = z.infer<typeof TopUpPayment>;

/** Stored value the shop owes its members, from the ledger, beside the members' cached balances. */
export const LiabilityReport = z.object({
  ledger: Balance,
  cached: Balance,
  members: z.number().int(),
  /** Top-ups paid (principal received) and refunded, all time. */
  toppedUp: Fen,
  refunded: Fen,
  /** Outstanding points and what they are worth at the programme's value. */
  points: z.object({ outstanding: z.number().int(), worth: Fen }),
  at: z.string(),
});
export type LiabilityReport = z.infer<typeof LiabilityReport>;

/** What `wx.addCard` needs (the cardExt's outer_str is the member number, echoed in user_get_card). */
export const MemberCardParams = z.object({
  cardId: z.string(),
  /** The signed cardExt JSON string for `wx.addCard({cardList: [{cardId, cardExt}]})`. */
  cardExt: z.string(),
  outerStr: z.string(),
  status: z.enum(['NONE', 'ACTIVE', 'REMOVED']),
});
export type MemberCardParams = z.infer<typeof MemberCardParams>;

/**
 * Why the counter refused a member code, in the clerk's words: the server puts one of these on
 * the `code` field, and the phone and console show it as it is (no matching on the wording).
 */
export const MEMBER_CODE_REFUSALS = {
  FORGED: '会员码无效，请核对 · Not a valid member code',
  EXPIRED: '会员码已过期，请会员刷新后再扫 · This code has expired; ask for a fresh one',
  USED: '会员码已使用，请会员刷新后再扫 · This code was already used; ask for a fresh one',
} as const;
export type MemberCodeRefusal = keyof typeof MEMBER_CODE_REFUSALS;

/** The member code the member centre shows (QR and barcode), valid 60 s and usable once. */
export const MemberCode = z.object({ code: z.string(), validSeconds: z.number().int(), expiresAt: z.string() });
export type MemberCode = z.infer<typeof MemberCode>;

/** The code as the clerk's scanner typed it: digits only. */
export const ScannedCode = z
  .string()
  .trim()
  .regex(/^\d{24}$/, 'is not a member code');

export const CounterLookupRequest = z.object({ code: ScannedCode });
export const CounterMember = z.object({
  memberId: z.string(),
  memberNo: z.string(),
  name: z.string().nullable(),
  phone: z.string(),
  level: z.string(),
  points: z.number().int(),
  balance: Fen,
});
export type CounterMember = z.infer<typeof CounterMember>;

export const CounterPurchaseRequest = z.object({
  code: ScannedCode,
  /** What the member paid at the counter, in fen. */
  amount: Price.min(1, 'must be at least 1 fen'),
  /** The till's id for this sale: a retry with the same id records it once. */
  requestId: RequestKey,
});
export const CounterPaymentRequest = CounterPurchaseRequest;

export const CounterResult = z.object({
  member: CounterMember,
  /** Points this sale earned (purchase) or 0; fen taken from the balance (payment) or 0. */
  pointsEarned: z.number().int(),
  paid: Fen,
  /** True when this answers a retry of a sale already recorded. */
  replayed: z.boolean(),
});
export type CounterResult = z.infer<typeof CounterResult>;
