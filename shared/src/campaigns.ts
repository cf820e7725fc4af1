/**
 * Push campaigns to the official account's followers and the segments they go to: the DTOs of
 * the console's 推送 pages (segment editor with a live count, campaign composer with its
 * preview and test send, schedule, approval, pause / resume / cancel, live progress, funnel).
 * Times are UTC ISO-8601 (the console shows China time); money integer fen.
 * docs/decisions/0035-campaign-fan-out.md, 0036-campaign-receipts-and-funnel.md,
 * 0037-audience-read-model.md.
 */
import { z } from 'zod';
import { Instant } from './schema';

// ---- segments ------------------------------------------------------------------------------

const days = z.number().int().min(0).max(3650);
const fenAmount = z.number().int().min(0).max(1_000_000_000);

/** One condition over a follower, as the segment editor builds it. */
export const SegmentCondition = z.discriminatedUnion('field', [
  /** Carries (any of) these official-account tags. */
  z.object({ field: z.literal('tag'), op: z.enum(['any', 'none']), tagIds: z.array(z.number().int()).min(1).max(20) }),
  z.object({
    field: z.literal('memberLevel'),
    op: z.enum(['in', 'notIn']),
    levels: z.array(z.string().min(1).max(40)).min(1).max(20),
  }),
  /** Last paid order within / not within the last N days ("never" counts as not within). */
  z.object({ field: z.literal('lastOrder'), op: z.enum(['withinDays', 'notWithinDays']), days }),
  /** Paid total (refunds taken off), in fen. */
  z.object({ field: z.literal('totalSpend'), op: z.enum(['atLeast', 'below']), amount: fenAmount }),
  z.object({
    field: z.literal('city'),
    op: z.enum(['in', 'notIn']),
    cities: z.array(z.string().min(1).max(40)).min(1).max(50),
  }),
  /** Followed through one of these touchpoints (scene QR codes). */
  z.object({
    field: z.literal('touchpoint'),
    op: z.enum(['in', 'notIn']),
    touchpointIds: z.array(z.string().min(1).max(40)).min(1).max(50),
  }),
  z.object({ field: z.literal('followedAt'), op: z.enum(['withinDays', 'before']), days }),
  /** Holds an unused subscribe-message consent for this template. */
  z.object({ field: z.literal('subscribeConsent'), templateId: z.string().min(1).max(64) }),
]);
export type SegmentCondition = z.infer<typeof SegmentCondition>;

/** Conditions combined with and / or, one level of nesting (a group of groups). */
export type SegmentRules = { combine: 'and' | 'or'; conditions: (SegmentCondition | SegmentRules)[] };
export const SegmentRules: z.ZodType<SegmentRules> = z.lazy(() =>
  z.object({
    combine: z.enum(['and', 'or']),
    conditions: z.array(z.union([SegmentCondition, SegmentRules])).max(20),
  }),
);

export const SegmentInput = z.object({
  name: z.string().trim().min(1, '请填写名称 name required').max(40),
  rules: SegmentRules,
});
export type SegmentInput = z.infer<typeof SegmentInput>;

export const Segment = SegmentInput.extend({
  id: z.string(),
  /** Followers matching now (counted when read). */
  count: z.number().int(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Segment = z.infer<typeof Segment>;
export const SegmentList = z.object({ items: z.array(Segment) });
export const SegmentCount = z.object({ count: z.number().int() });

// ---- campaigns -----------------------------------------------------------------------------

/**
 * template: a service notice (template message) — the only channel allowed in quiet hours;
 * subscribe: a mini-program subscribe message, to holders of an unused consent;
 * mass: a mass send (each follower at most 4 a month); custom: a customer-service message,
 * only inside the 48 hours after the follower last wrote.
 */
export const CampaignChannel = z.enum(['template', 'subscribe', 'mass', 'custom']);
export type CampaignChannel = z.infer<typeof CampaignChannel>;

/** A mini-program page, e.g. `pages/product/index?id=prod_1`; the campaign's id is added to it. */
const page = z
  .string()
  .max(200)
  .regex(/^[a-z][\w\-/]*(\?[\w\-=&%.]*)?$/, 'a mini-program page path without a leading /, e.g. pages/index/index');
const fieldValue = z.string().min(1).max(20, '每个字段最多 20 个字 at most 20 characters');

export const CampaignContent = z.discriminatedUnion('channel', [
  z.object({
    channel: z.literal('template'),
    templateId: z.string().min(1).max(64),
    fields: z.record(z.string().regex(/^[a-z_]+\d*$/), fieldValue),
    page: page.optional(),
  }),
  z.object({
    channel: z.literal('subscribe'),
    templateId: z.string().min(1).max(64),
    fields: z.record(z.string().regex(/^[a-z_]+\d*$/), fieldValue),
    page: page.optional(),
  }),
  z.object({ channel: z.literal('mass'), text: z.string().min(1).max(600) }),
  z.object({ channel: z.literal('custom'), text: z.string().min(1).max(600), page: page.optional() }),
]);
export type CampaignContent = z.infer<typeof CampaignContent>;

export const CampaignAudience = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('tag'), tagId: z.number().int() }),
  z.object({ kind: z.literal('segment'), segmentId: z.string().min(1).max(40) }),
]);
export type CampaignAudience = z.infer<typeof CampaignAudience>;

export const CampaignInput = z.object({
  name: z.string().trim().min(1, '请填写名称 name required').max(40),
  content: CampaignContent,
  audience: CampaignAudience,
});
export type CampaignInput = z.infer<typeof CampaignInput>;

/**
 * DRAFT → (schedule) SCHEDULED, or AWAITING_APPROVAL above the approval threshold → SENDING →
 * DONE; PAUSED (by staff, the daily quota, quiet hours) ↔ SENDING; CANCELLED from any but DONE.
 */
export const CampaignStatus = z.enum([
  'DRAFT',
  'AWAITING_APPROVAL',
  'SCHEDULED',
  'SENDING',
  'PAUSED',
  'DONE',
  'CANCELLED',
]);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

export const campaignStatusLabel: Record<CampaignStatus, string> = {
  DRAFT: '草稿 Draft',
  AWAITING_APPROVAL: '待审批 Awaiting approval',
  SCHEDULED: '已排期 Scheduled',
  SENDING: '发送中 Sending',
  PAUSED: '已暂停 Paused',
  DONE: '已完成 Done',
  CANCELLED: '已取消 Cancelled',
};

/** Why a campaign is paused. */
export const CampaignPauseReason = z.enum(['STAFF', 'DAILY_QUOTA', 'QUIET_HOURS']);
export type CampaignPauseReason = z.infer<typeof CampaignPauseReason>;
export const campaignPauseReasonLabel: Record<CampaignPauseReason, string> = {
  STAFF: '已手动暂停 Paused by staff',
  DAILY_QUOTA: '今日模板消息额度已用完，额度恢复后自动继续 Daily quota reached; resumes when it resets',
  QUIET_HOURS: '22:00–08:00 免打扰时段，08:00 自动继续 Quiet hours; resumes at 08:00',
};

/** A recipient's state: PENDING → SENT → DELIVERED, or FAILED / SKIPPED (with a reason). SENDING: left by older runs only, read as waiting. */
export const RecipientStatus = z.enum(['PENDING', 'SENDING', 'SENT', 'DELIVERED', 'FAILED', 'SKIPPED']);
export type RecipientStatus = z.infer<typeof RecipientStatus>;

/** Why a recipient was skipped or failed. */
export const recipientReasonLabel: Record<string, string> = {
  NOT_FOLLOWING: '未关注公众号 Not following (43004)',
  NO_CONSENT: '没有未使用的订阅授权 No unused consent (43101)',
  OUTSIDE_48H_WINDOW: '超过 48 小时客服消息时限 Outside the 48-hour window (45015)',
  MONTHLY_MASS_LIMIT: '本月已收到 4 次群发 Already received 4 mass sends this month',
  INVALID_OPENID: '无效的 openid Invalid openid (40003)',
  USER_BLOCKED: '用户拒收 Blocked by the user',
  SYSTEM_FAILED: '微信发送失败 WeChat failed to deliver',
  WECHAT_ERROR: '微信拒绝 Refused by WeChat',
};

export const CampaignCounts = z.object({
  targeted: z.number().int(),
  pending: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  /** Skipped and failed recipients by reason (keys of recipientReasonLabel). */
  reasons: z.record(z.string(), z.number().int()),
});
export type CampaignCounts = z.infer<typeof CampaignCounts>;

export const Campaign = CampaignInput.extend({
  id: z.string(),
  status: CampaignStatus,
  pauseReason: CampaignPauseReason.nullable(),
  /** When a paused campaign continues by itself (quota reset, end of quiet hours). */
  resumeAt: Instant.nullable(),
  scheduledAt: Instant.nullable(),
  /** The recipient count the approval was asked for, and who approved. */
  approvalNeeded: z.boolean(),
  approvedBy: z.string().nullable(),
  counts: CampaignCounts,
  startedAt: Instant.nullable(),
  finishedAt: Instant.nullable(),
  createdAt: Instant,
});
export type Campaign = z.infer<typeof Campaign>;
export const CampaignList = z.object({ items: z.array(Campaign.omit({ content: true })) });

export const ScheduleCampaignRequest = z.object({
  /** Omitted: now (or at 08:00 China time when now is in quiet hours and the channel is not a service notice). */
  at: Instant.optional(),
});
export const TestSendRequest = z.object({
  /** A staff member's own openid on the official account. */
  openid: z.string().regex(/^[\w-]{1,64}$/, 'an openid'),
});
export const TestSendResult = z.object({
  ok: z.boolean(),
  /** The WeChat refusal, when not ok (errcode and what it means). */
  errcode: z.number().int().nullable(),
  reason: z.string().nullable(),
});

/** What the phone frame shows: the message as the follower sees it. */
export const CampaignPreview = z.object({
  channel: CampaignChannel,
  /** The account or template title at the top of the card. */
  title: z.string(),
  /** Lines as shown (template fields cut to 20 characters, first/remark dropped). */
  lines: z.array(z.string()),
  /** The tracked mini-program page the message opens, with the campaign's id. */
  page: z.string().nullable(),
  /** Followers it would go to now. */
  recipients: z.number().int(),
  quietHours: z.boolean(),
  approvalNeeded: z.boolean(),
});
export type CampaignPreview = z.infer<typeof CampaignPreview>;

export const CampaignFunnel = z.object({
  targeted: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  /** Distinct buyers who opened the tracked link. */
  clicked: z.number().int(),
  /** Paid orders within 7 days of a click. */
  ordered: z.number().int(),
  /** Their paid amount less refunds, in fen. */
  gmv: z.number().int(),
});
export type CampaignFunnel = z.infer<typeof CampaignFunnel>;

export const CampaignClickRequest = z.object({});
export const CampaignClickResult = z.object({ recorded: z.boolean() });
