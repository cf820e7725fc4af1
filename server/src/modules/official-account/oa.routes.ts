/**
 * Mounts the official-account message endpoint (WECHAT_OA_PATH) on the system router: WeChat
 * calls it directly, so it is not part of the JSON API contract. Signatures and decryption
 * run on `ctx.state.rawBody`, the bytes exactly as received.
 */
import type Koa from 'koa';
import type Router from 'koa-router';
import type { Config } from '../../kernel/config';
import { ForbiddenError, PayloadTooLargeError, UnauthenticatedError, ValidationError } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import type { Redis } from '../../kernel/redis';
import { WechatClient } from '../../wechat/api/client';
import { OfficialAccountApi } from '../../wechat/api/official-account';
import { MessageCrypt } from '../../wechat/crypto/message-crypt';
import { PushDeduplicator } from '../../wechat/oa/dedup';
import { DEFAULT_OA_BODY_LIMIT, OfficialAccountEndpoint, type PushAnswer } from '../../wechat/oa/endpoint';
import { MessageHandlers } from '../../wechat/oa/handlers';
import { replyAsCustomerMessage } from '../../wechat/oa/replies';
import { redisStore } from '../../wechat/store';

export interface OfficialAccountDeps {
  config: Config;
  log: Logger;
  redis: Redis;
  /** The shop's name as its owner set it (shop settings), for `{shop}` in the welcome. */
  shopName: () => Promise<string>;
}

/** WECHAT_OA_WELCOME with `{shop}` replaced by the shop's current name. */
export async function welcomeText(template: string, shopName: () => Promise<string>): Promise<string> {
  return template.includes('{shop}') ? template.replaceAll('{shop}', await shopName()) : template;
}

/** What the account answers out of the box; modules add their own handlers to `handlers`. */
export function defaultHandlers(deps: Pick<OfficialAccountDeps, 'config' | 'shopName'>): MessageHandlers {
  return new MessageHandlers().onEvent('subscribe', async () => ({
    type: 'text',
    content: await welcomeText(deps.config.wechat.oa.welcome, deps.shopName),
  }));
}

export function createOfficialAccount(deps: OfficialAccountDeps, handlers = defaultHandlers(deps)) {
  const { oa, apiBase, tokenMode } = deps.config.wechat;
  const store = redisStore(deps.redis);
  const api = new OfficialAccountApi(
    new WechatClient({ baseUrl: apiBase, appId: oa.appId, secret: oa.secret, tokenMode, store }),
  );
  const endpoint = new OfficialAccountEndpoint({
    crypt: new MessageCrypt({
      token: oa.token,
      encodingAesKey: oa.encodingAesKey,
      previousEncodingAesKey: oa.previousEncodingAesKey,
      appId: oa.appId,
    }),
    handlers,
    dedup: new PushDeduplicator(store, oa.appId),
    maxBodyBytes: DEFAULT_OA_BODY_LIMIT,
    async sendLateReply(openid, reply) {
      const message = replyAsCustomerMessage(openid, reply);
      if (!message) return;
      const sent = await api.sendCustomerMessage(message);
      if (!sent.ok) deps.log.warn({ errcode: sent.error.errcode, kind: sent.error.kind }, 'late reply not delivered');
    },
    onBackgroundError: (err, message) =>
      deps.log.error({ err, msgType: message.msgType }, 'official-account handler failed after the deadline'),
  });
  return { api, endpoint, handlers };
}

/** Rejections map to the one error mapping: 401 bad signature, 403 wrong appid, 400, 413. */
function write(ctx: Koa.Context, answer: PushAnswer): void {
  switch (answer.status) {
    case 200:
      ctx.status = 200;
      ctx.type = answer.contentType;
      ctx.body = answer.body;
      return;
    case 401:
      throw new UnauthenticatedError('The WeChat signature does not match.');
    case 403:
      throw new ForbiddenError('The message is addressed to another app.');
    case 413:
      throw new PayloadTooLargeError(DEFAULT_OA_BODY_LIMIT);
    default:
      throw new ValidationError([{ path: 'body', message: answer.problem }]);
  }
}

export type OfficialAccount = ReturnType<typeof createOfficialAccount>;
const accounts = new WeakMap<Config, OfficialAccount>();

/** The mounted account for this configuration: other modules register handlers and call the API here. */
export function officialAccountFor(config: Config): OfficialAccount | undefined {
  return accounts.get(config);
}

/** `handlers`: the auto-replies' pipeline when composed with them; the configured welcome alone otherwise. */
export function officialAccountRoutes(router: Router, deps: OfficialAccountDeps, handlers?: MessageHandlers): void {
  const account = createOfficialAccount(deps, handlers ?? defaultHandlers(deps));
  accounts.set(deps.config, account);
  const { endpoint } = account;
  const path = deps.config.wechat.oa.path;
  router.get(path, (ctx: Koa.Context) => write(ctx, endpoint.verifyUrl(ctx.query)));
  router.post(path, async (ctx: Koa.Context) => {
    const declared = Number(ctx.get('content-length') || 0);
    if (declared > DEFAULT_OA_BODY_LIMIT) throw new PayloadTooLargeError(DEFAULT_OA_BODY_LIMIT);
    const raw = (ctx.state.rawBody as Buffer | undefined) ?? Buffer.alloc(0);
    write(ctx, await endpoint.receive(ctx.query, raw));
  });
}
