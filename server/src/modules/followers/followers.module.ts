import { contract } from '@chatmall/shared';
import { WechatClient } from '../../wechat/api/client';
import { OfficialAccountApi } from '../../wechat/api/official-account';
import { redisStore } from '../../wechat/store';
import type { AppModule, Kernel } from '../module';
import { FollowerService, type BuyerLookup } from './follower.service';

/** The official account's API for this configuration (tokens shared through Redis). */
export function officialAccountApiFor(k: Kernel): () => OfficialAccountApi {
  let api: OfficialAccountApi | undefined;
  return () => {
    const { oa, apiBase, tokenMode } = k.config.wechat;
    api ??= new OfficialAccountApi(
      new WechatClient({ baseUrl: apiBase, appId: oa.appId, secret: oa.secret, tokenMode, store: redisStore(k.redis) }),
    );
    return api;
  };
}

/**
 * Followers of the official account, their tags and the inbox: the only writer of
 * oa_followers, oa_inbox_messages, oa_follower_sync and oa_follower_tags.
 */
export function followersModule(k: Kernel, deps: { buyers: BuyerLookup }) {
  const oa = officialAccountApiFor(k);
  const followers = new FollowerService(k.db, { oa, buyers: deps.buyers, log: k.log });
  return {
    name: 'followers',
    services: { followers, officialAccountApi: oa },
    routes(api) {
      api.handle(contract.listFollowers, async ({ query }) => followers.list(query));
      api.handle(contract.startFollowerSync, async () => {
        // The sync runs on; its cursor row lets any later start resume it after a crash.
        void followers.runSync().catch((err: unknown) => k.log.error({ err }, 'follower sync failed'));
        await new Promise((r) => setTimeout(r, 20));
        return followers.syncStatus();
      });
      api.handle(contract.followerSyncStatus, async () => followers.syncStatus());
      api.handle(contract.listFollowerTags, async () => ({ items: await followers.tags() }));
      api.handle(contract.createFollowerTag, async ({ body }) => followers.createTag(body.name));
      api.handle(contract.renameFollowerTag, async ({ params, body }) => followers.renameTag(params.id, body.name));
      api.handle(contract.deleteFollowerTag, async ({ params }) => followers.deleteTag(params.id));
      api.handle(contract.tagFollowers, async ({ params, body }) => followers.setTag(params.id, body.openids, true));
      api.handle(contract.untagFollowers, async ({ params, body }) => followers.setTag(params.id, body.openids, false));
      api.handle(contract.inboxThreads, async ({ query }) => followers.threads(query.limit));
      api.handle(contract.inboxConversation, async ({ params, query }) =>
        followers.conversation(params.id, query.before, query.limit),
      );
      api.handle(contract.replyToFollower, async ({ params, body, principal }) => ({
        message: await followers.reply(params.id, body.text, principal.staffId),
      }));
    },
  } satisfies AppModule;
}
