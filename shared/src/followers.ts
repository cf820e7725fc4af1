/**
 * The official account's followers, their tags, the inbox of what they wrote, the keyword
 * auto-replies, the welcome and the custom menu, as the console reads and edits them.
 */
import { z } from 'zod';

const iso = z.string();

export const Follower = z.object({
  openid: z.string(),
  unionid: z.string().nullable(),
  /** The buyer this follower is in the mini-program (linked by unionid). */
  buyerId: z.string().nullable(),
  subscribed: z.boolean(),
  followedAt: iso.nullable(),
  unfollowedAt: iso.nullable(),
  /** The touchpoint whose scene QR they followed from. */
  touchpointId: z.string().nullable(),
  city: z.string().nullable(),
  tagIds: z.array(z.number().int()),
  /** Their last message or event: customer-service messages are allowed 48 h after it. */
  lastInteractionAt: iso.nullable(),
  /** True while a customer-service reply is allowed (48 h since their last interaction). */
  canReply: z.boolean(),
});
export type Follower = z.infer<typeof Follower>;

export const FollowerListQuery = z.object({
  /** Keyset paging: the last openid of the previous page. */
  after: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  tagId: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
  subscribed: z.enum(['true', 'false']).optional(),
});
export const FollowerList = z.object({
  items: z.array(Follower),
  next: z.string().nullable(),
  total: z.number().int(),
});

export const FollowerSyncStatus = z.object({
  status: z.enum(['IDLE', 'RUNNING', 'DONE', 'FAILED']),
  /** Where the next page starts (WeChat's next_openid); null before the first page. */
  nextOpenid: z.string().nullable(),
  fetched: z.number().int(),
  total: z.number().int().nullable(),
  startedAt: iso.nullable(),
  finishedAt: iso.nullable(),
  error: z.string().nullable(),
});
export type FollowerSyncStatus = z.infer<typeof FollowerSyncStatus>;

export const FollowerTag = z.object({ id: z.number().int(), name: z.string(), count: z.number().int() });
export type FollowerTag = z.infer<typeof FollowerTag>;
/** WeChat counts a tag name in UTF-8 bytes: at most 30 (10 Chinese characters). */
export const TagName = z
  .string()
  .trim()
  .min(1)
  .refine((s) => new TextEncoder().encode(s).length <= 30, '标签名最长 30 字节（10 个汉字） at most 30 bytes');
export const TagInput = z.object({ name: TagName });
export const TagMembersInput = z.object({
  openids: z.array(z.string().min(1).max(64)).min(1).max(10_000),
});
export const TagMembersResult = z.object({ changed: z.number().int(), batches: z.number().int() });

// ---- inbox -------------------------------------------------------------------------------

export const InboxMessage = z.object({
  id: z.string(),
  openid: z.string(),
  /** `in`: the follower wrote it; `out`: the shop (a staff reply or an automatic one). */
  direction: z.enum(['in', 'out']),
  msgType: z.string(),
  /** Text, or a short description of a picture, voice, location, link, event. */
  content: z.string(),
  /** For `out`: the staff member who replied; null for automatic replies. */
  staffId: z.string().nullable(),
  at: iso,
});
export type InboxMessage = z.infer<typeof InboxMessage>;

export const InboxQuery = z.object({
  before: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const InboxConversation = z.object({
  follower: Follower.nullable(),
  messages: z.array(InboxMessage),
});
export const InboxThreads = z.object({
  items: z.array(z.object({ openid: z.string(), last: InboxMessage, canReply: z.boolean(), unanswered: z.boolean() })),
});
export const InboxReplyInput = z.object({ text: z.string().trim().min(1).max(2000) });
export const InboxReplyResult = z.object({ message: InboxMessage });

// ---- auto-replies ------------------------------------------------------------------------

export const NewsItem = z.object({
  title: z.string().min(1).max(64),
  description: z.string().max(120).default(''),
  picUrl: z.string().url().max(500).optional(),
  url: z.string().url().max(1024),
});

/** What a rule, the welcome or the default reply answers with. */
export const AutoReplyContent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().trim().min(1).max(2000) }),
  z.object({ type: z.literal('image'), mediaId: z.string().min(1).max(128) }),
  z.object({ type: z.literal('news'), articles: z.array(NewsItem).min(1).max(8) }),
  /** A mini-program card: passive replies cannot carry one, so it goes as a customer-service message. */
  z.object({
    type: z.literal('miniprogram'),
    title: z.string().min(1).max(64),
    pagePath: z.string().min(1).max(300),
    thumbMediaId: z.string().min(1).max(128),
  }),
]);
export type AutoReplyContent = z.infer<typeof AutoReplyContent>;

export const KeywordMatch = z.enum(['exact', 'contains', 'regex']);
export type KeywordMatch = z.infer<typeof KeywordMatch>;

export const KeywordRuleInput = z
  .object({
    name: z.string().trim().min(1).max(60),
    match: KeywordMatch,
    pattern: z.string().min(1).max(200),
    /** Higher first; among equals, the older rule. */
    priority: z.number().int().min(0).max(1000).default(100),
    reply: AutoReplyContent,
    enabled: z.boolean().default(true),
  })
  .superRefine((r, ctx) => {
    if (r.match !== 'regex') return;
    try {
      new RegExp(r.pattern, 'iu');
    } catch {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: '正则表达式无效 not a valid regular expression' });
    }
  });
export const KeywordRule = z.object({
  id: z.string(),
  name: z.string(),
  match: KeywordMatch,
  pattern: z.string(),
  priority: z.number().int(),
  reply: AutoReplyContent,
  enabled: z.boolean(),
  createdAt: iso,
});
export type KeywordRule = z.infer<typeof KeywordRule>;
export const KeywordRuleList = z.object({ items: z.array(KeywordRule) });

/** The welcome for new followers: the shop's, or one touchpoint's; optionally with a coupon. */
export const WelcomeInput = z.object({
  reply: AutoReplyContent,
  /** A published coupon template: a follower who is a buyer gets one coupon of it. */
  couponTemplateId: z.string().min(1).max(40).nullable().default(null),
});
export const Welcome = WelcomeInput.extend({
  /** null: the shop's welcome; else the touchpoint it belongs to. */
  touchpointId: z.string().nullable(),
  updatedAt: iso,
});
export type Welcome = z.infer<typeof Welcome>;
export const AutoReplySettings = z.object({
  welcome: Welcome.nullable(),
  defaultReply: AutoReplyContent.nullable(),
});
export const DefaultReplyInput = z.object({ reply: AutoReplyContent.nullable() });

// ---- menu --------------------------------------------------------------------------------

const bytes = (s: string) => new TextEncoder().encode(s).length;
const httpUrl = z
  .string()
  .url()
  .max(1024)
  .refine((u) => /^https?:\/\//.test(u), 'http(s) 链接 an http(s) URL');
export const MenuLeaf = z.discriminatedUnion('type', [
  z.object({ type: z.literal('click'), name: z.string().min(1), key: z.string().min(1).max(128) }),
  z.object({ type: z.literal('view'), name: z.string().min(1), url: httpUrl }),
  z.object({
    type: z.literal('miniprogram'),
    name: z.string().min(1),
    /** Opened by clients too old for mini programs. */
    url: httpUrl,
    pagePath: z.string().min(1).max(300),
  }),
]);
export type MenuLeaf = z.infer<typeof MenuLeaf>;
export const MenuGroup = z.object({
  name: z.string().min(1),
  subButtons: z.array(MenuLeaf).min(1).max(5),
});
export const MenuButtonInput = z.union([MenuGroup, MenuLeaf]);
export const MenuInput = z.object({ buttons: z.array(MenuButtonInput).min(1).max(3) }).superRefine((m, ctx) => {
  m.buttons.forEach((b, i) => {
    if (bytes(b.name) > 16)
      ctx.addIssue({
        code: 'custom',
        path: ['buttons', i, 'name'],
        message: '一级菜单名最长 16 字节 at most 16 bytes',
      });
    if ('subButtons' in b)
      b.subButtons.forEach((s, j) => {
        if (bytes(s.name) > 60)
          ctx.addIssue({
            code: 'custom',
            path: ['buttons', i, 'subButtons', j, 'name'],
            message: '子菜单名最长 60 字节 at most 60 bytes',
          });
      });
  });
});
export type MenuInput = z.infer<typeof MenuInput>;
export const Menu = z.object({
  /** The menu as saved in the editor (a draft until published). */
  draft: MenuInput.nullable(),
  /** The menu WeChat holds, read back from menu/get (null when none is published). */
  published: MenuInput.nullable(),
  publishedAt: iso.nullable(),
});
