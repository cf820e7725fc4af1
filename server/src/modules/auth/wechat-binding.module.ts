import { contract } from '@chatmall/shared';
import type { AppModule, Kernel } from '../module';
import { WechatBindingService } from './wechat-binding.service';

/**
 * A staff member's WeChat identity: the console's code and unbind, the mini-program's bind
 * and "am I a staff member" (docs/decisions/0026-staff-wechat-binding.md). Part of the auth
 * folder because it writes the staff table's `openid`; a module of its own so the merchant
 * pages can depend on it alone.
 */
export function wechatBindingModule(k: Kernel) {
  const wechatBinding = new WechatBindingService(k.db, k.redis);
  return {
    name: 'wechat-binding',
    services: { wechatBinding },
    routes(api) {
      api.handle(contract.getWechatBinding, async ({ principal }) => wechatBinding.status(principal.staffId));
      api.handle(contract.issueWechatBindingCode, async ({ ctx, principal }) => wechatBinding.issue(ctx, principal));
      api.handle(contract.unbindWechat, async ({ ctx, principal }) => wechatBinding.unbind(ctx, principal));
      api.handle(contract.merchantMe, async ({ principal }) => wechatBinding.merchantMe(principal));
      api.handle(contract.bindMerchant, async ({ ctx, principal, body, http }) =>
        wechatBinding.bind({ ...ctx, clientIp: http.ip }, principal, body.code),
      );
    },
  } satisfies AppModule;
}
