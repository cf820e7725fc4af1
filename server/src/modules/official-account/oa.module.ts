import type { MessageHandlers } from '../../wechat/oa/handlers';
import type { AppModule, Kernel } from '../module';
import { officialAccountRoutes } from './oa.routes';

/** The official account's message endpoint (WECHAT_OA_PATH): WeChat calls it directly. */
export function officialAccountModule(
  k: Kernel,
  deps: { shopName: () => Promise<string>; handlers?: MessageHandlers },
): AppModule {
  return {
    name: 'official-account',
    services: {},
    systemRoutes: (router) => officialAccountRoutes(router, { ...k, shopName: deps.shopName }, deps.handlers),
  };
}
