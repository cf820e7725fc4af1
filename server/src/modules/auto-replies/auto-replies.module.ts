import { contract } from '@chatmall/shared';
import type { OfficialAccountApi } from '../../wechat/api/official-account';
import { MessageHandlers } from '../../wechat/oa/handlers';
import { welcomeText } from '../official-account/oa.routes';
import type { AppModule, Kernel } from '../module';
import { AutoReplyService, type CouponIssuePort, type FollowerPort } from './auto-reply.service';
import { MenuService } from './menu.service';

/**
 * Keyword rules, the welcome (per touchpoint, optionally with a coupon), the default reply:
 * the only writer of oa_keyword_rules and oa_reply_settings. Its `handlers` are the official
 * account's message pipeline; other modules may add their own handlers to it.
 */
export function autoRepliesModule(
  k: Kernel,
  deps: {
    followers: FollowerPort;
    coupons: CouponIssuePort;
    oa: () => OfficialAccountApi;
    shopName: () => Promise<string>;
  },
) {
  const autoReplies = new AutoReplyService(k.db, {
    followers: deps.followers,
    coupons: deps.coupons,
    oa: deps.oa,
    fallbackWelcome: () => welcomeText(k.config.wechat.oa.welcome, deps.shopName),
    log: k.log,
  });
  const menu = new MenuService(autoReplies, { oa: deps.oa, miniProgramAppId: k.config.wechat.miniProgram.appId });
  const handlers = new MessageHandlers().otherwise((m) => autoReplies.answer(m));
  return {
    name: 'auto-replies',
    services: { autoReplies, menu, officialAccountHandlers: handlers },
    routes(api) {
      api.handle(contract.listKeywordRules, async () => autoReplies.listRules());
      api.handle(contract.createKeywordRule, async ({ body }) => autoReplies.createRule(body));
      api.handle(contract.updateKeywordRule, async ({ params, body }) => autoReplies.updateRule(params.id, body));
      api.handle(contract.deleteKeywordRule, async ({ params }) => autoReplies.deleteRule(params.id));
      api.handle(contract.autoReplySettings, async () => autoReplies.settings());
      api.handle(contract.setWelcome, async ({ body }) => autoReplies.setWelcome(null, body));
      api.handle(contract.setDefaultReply, async ({ body }) => {
        await autoReplies.put('default', body.reply);
        return autoReplies.settings();
      });
      api.handle(contract.getMenu, async () => menu.get());
      api.handle(contract.saveMenuDraft, async ({ body }) => menu.saveDraft(body));
      api.handle(contract.publishMenu, async () => menu.publish());
      api.handle(contract.readBackMenu, async () => menu.readBack());
      api.handle(contract.unpublishMenu, async () => menu.unpublish());
    },
  } satisfies AppModule;
}
