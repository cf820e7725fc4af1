/**
 * Buyer sign-in through WeChat's code2Session (the sandbox in development and tests).
 * The session key is kept server-side by MiniProgramApi, durably in `buyer_session_keys`
 * (encrypted) with Redis as its cache; only openid/unionid come back here.
 */
import type { DataSource } from 'typeorm';
import type { Config } from '../../kernel/config';
import { DependencyUnavailableError, ValidationError } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import type { Redis } from '../../kernel/redis';
import { WechatClient } from '../../wechat/api/client';
import { MiniProgramApi } from '../../wechat/miniprogram/miniprogram';
import { cachedSessionKeys } from '../../wechat/miniprogram/session-keys';
import { redisStore } from '../../wechat/store';
import type { LoginCodeExchanger } from './login.service';
import { SessionKeyCipher } from './session-key-cipher';
import { DbSessionKeys } from './session-key.store';

export function miniProgramFor(
  config: Pick<Config, 'wechat' | 'sessionKeyEncryption'>,
  deps: { redis: Redis; db: DataSource; log: Logger },
): MiniProgramApi {
  const { apiBase, tokenMode, miniProgram } = config.wechat;
  const store = redisStore(deps.redis);
  const sessionKeys = cachedSessionKeys({
    appId: miniProgram.appId,
    cache: store,
    durable: new DbSessionKeys(deps.db, miniProgram.appId, new SessionKeyCipher(config.sessionKeyEncryption)),
    onCacheDown: (err) =>
      deps.log.warn(
        { errName: (err as Error)?.name },
        'session-key cache (Redis) unavailable: reading and writing the database only',
      ),
    onCacheUp: () => deps.log.info('session-key cache (Redis) is back'),
  });
  return new MiniProgramApi(
    new WechatClient({ baseUrl: apiBase, appId: miniProgram.appId, secret: miniProgram.secret, tokenMode, store }),
    sessionKeys,
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
