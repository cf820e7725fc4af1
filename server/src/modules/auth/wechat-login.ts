/**
 * Buyer sign-in through WeChat's code2Session (the sandbox in development and tests).
 * The session key is kept server-side by MiniProgramApi; only openid/unionid come back here.
 */
import type { Config } from '../../kernel/config';
import { DependencyUnavailableError, ValidationError } from '../../kernel/errors';
import type { Redis } from '../../kernel/redis';
import { WechatClient } from '../../wechat/api/client';
import { MiniProgramApi } from '../../wechat/miniprogram/miniprogram';
import { redisStore } from '../../wechat/store';
import type { LoginCodeExchanger } from './login.service';

export function miniProgramFor(config: Pick<Config, 'wechat'>, redis: Redis): MiniProgramApi {
  const { apiBase, tokenMode, miniProgram } = config.wechat;
  const store = redisStore(redis);
  return new MiniProgramApi(
    new WechatClient({ baseUrl: apiBase, appId: miniProgram.appId, secret: miniProgram.secret, tokenMode, store }),
    store,
  );
}

export function wechatLoginCodes(mp: MiniProgramApi): LoginCodeExchanger {
  return {
    async exchange(code) {
      const result = await mp.login(code);
      if (result.ok) return { openid: result.value.openid, unionid: result.value.unionid ?? null };
      // A bad or reused code is the caller's input; anything else means WeChat is not answering well.
      if (result.error.kind === 'INVALID_CODE' || result.error.kind === 'CODE_ALREADY_USED') {
        throw new ValidationError([{ path: 'body.code', message: 'is not a valid login code, or was already used' }]);
      }
      throw new DependencyUnavailableError('wechat');
    },
  };
}
