/**
 * Followers, tags, the inbox and the auto-replies (console). Owner and marketer manage them;
 * a clerk may read the inbox and answer followers.
 */
import { z } from 'zod';
import { access } from './auth';
import { endpoint } from './endpoint';
import {
  AutoReplySettings,
  DefaultReplyInput,
  FollowerList,
  FollowerListQuery,
  FollowerSyncStatus,
  FollowerTag,
  InboxConversation,
  InboxQuery,
  InboxReplyInput,
  InboxReplyResult,
  InboxThreads,
  KeywordRule,
  KeywordRuleInput,
  KeywordRuleList,
  TagInput,
  TagMembersInput,
  TagMembersResult,
  Welcome,
  WelcomeInput,
} from './followers';

const marketing = access.staff('owner', 'marketer');
const inbox = access.staff('owner', 'marketer', 'clerk');
/** A follower's openid (`:id`, as every path parameter that names the thing). */
const Openid = z.object({ id: z.string().min(1).max(64) });
const RuleId = z.object({ id: z.string().min(1).max(40) });
const TagId = z.object({ id: z.coerce.number().int().min(0) });

export const followersEndpoints = {
  listFollowers: endpoint({
    method: 'GET',
    path: '/api/admin/followers',
    summary: 'Followers of the official account, keyset-paged by openid, by tag or following state',
    access: marketing,
    query: FollowerListQuery,
    response: FollowerList,
  }),
  startFollowerSync: endpoint({
    method: 'POST',
    path: '/api/admin/followers/sync',
    summary: 'Starts (or resumes where it stopped) the full follower sync: user/get pages, batchget by 100',
    access: marketing,
    response: FollowerSyncStatus,
  }),
  followerSyncStatus: endpoint({
    method: 'GET',
    path: '/api/admin/followers/sync',
    summary: 'The full sync’s progress',
    access: marketing,
    response: FollowerSyncStatus,
  }),
  listFollowerTags: endpoint({
    method: 'GET',
    path: '/api/admin/follower-tags',
    summary: 'The account’s tags with their follower counts (read from WeChat, mirrored)',
    access: marketing,
    response: z.object({ items: z.array(FollowerTag) }),
  }),
  createFollowerTag: endpoint({
    method: 'POST',
    path: '/api/admin/follower-tags',
    summary: 'Creates a tag on WeChat and mirrors it',
    access: marketing,
    body: TagInput,
    response: FollowerTag,
  }),
  renameFollowerTag: endpoint({
    method: 'PUT',
    path: '/api/admin/follower-tags/:id',
    summary: 'Renames a tag on WeChat and in the mirror',
    access: marketing,
    params: TagId,
    body: TagInput,
    response: FollowerTag,
  }),
  tagFollowers: endpoint({
    method: 'POST',
    path: '/api/admin/follower-tags/:id/members',
    summary: 'Tags followers (WeChat batches of 50), mirrored',
    access: marketing,
    params: TagId,
    body: TagMembersInput,
    response: TagMembersResult,
  }),
  untagFollowers: endpoint({
    method: 'POST',
    path: '/api/admin/follower-tags/:id/members/remove',
    summary: 'Untags followers (WeChat batches of 50), mirrored',
    access: marketing,
    params: TagId,
    body: TagMembersInput,
    response: TagMembersResult,
  }),
  inboxThreads: endpoint({
    method: 'GET',
    path: '/api/admin/inbox',
    summary: 'Followers who wrote, latest first, with whether a reply is still allowed (48 h)',
    access: inbox,
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    response: InboxThreads,
  }),
  inboxConversation: endpoint({
    method: 'GET',
    path: '/api/admin/inbox/:id',
    summary: 'One follower’s messages and the shop’s replies, newest first',
    access: inbox,
    params: Openid,
    query: InboxQuery,
    response: InboxConversation,
  }),
  replyToFollower: endpoint({
    method: 'POST',
    path: '/api/admin/inbox/:id/reply',
    summary: 'Answers a follower with a customer-service message; 409 with the reason outside 48 h',
    access: inbox,
    params: Openid,
    body: InboxReplyInput,
    response: InboxReplyResult,
  }),
  listKeywordRules: endpoint({
    method: 'GET',
    path: '/api/admin/auto-replies/rules',
    summary: 'Keyword rules in the order they are tried (priority, then age)',
    access: marketing,
    response: KeywordRuleList,
  }),
  createKeywordRule: endpoint({
    method: 'POST',
    path: '/api/admin/auto-replies/rules',
    summary: 'Adds a keyword rule (exact, contains or regular expression)',
    access: marketing,
    body: KeywordRuleInput,
    response: KeywordRule,
  }),
  updateKeywordRule: endpoint({
    method: 'PUT',
    path: '/api/admin/auto-replies/rules/:id',
    summary: 'Replaces a keyword rule',
    access: marketing,
    params: RuleId,
    body: KeywordRuleInput,
    response: KeywordRule,
  }),
  deleteKeywordRule: endpoint({
    method: 'DELETE',
    path: '/api/admin/auto-replies/rules/:id',
    summary: 'Removes a keyword rule',
    access: marketing,
    params: RuleId,
    response: z.object({ deleted: z.boolean() }),
  }),
  autoReplySettings: endpoint({
    method: 'GET',
    path: '/api/admin/auto-replies',
    summary: 'The shop’s welcome and default reply',
    access: marketing,
    response: AutoReplySettings,
  }),
  setWelcome: endpoint({
    method: 'PUT',
    path: '/api/admin/auto-replies/welcome',
    summary: 'The shop’s welcome for new followers (optionally with a coupon)',
    access: marketing,
    body: WelcomeInput,
    response: Welcome,
  }),
  setDefaultReply: endpoint({
    method: 'PUT',
    path: '/api/admin/auto-replies/default',
    summary: 'What a message no rule matches gets (null: nothing)',
    access: marketing,
    body: DefaultReplyInput,
    response: AutoReplySettings,
  }),
} as const;
