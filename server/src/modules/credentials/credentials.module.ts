import { contract } from '@chatmall/shared';
import type { AppModule, Kernel } from '../module';
import { CredentialCheckService } from './credential-check.service';

/** The owner's check of the configured WeChat credentials against WeChat (docs: issue 13). */
export function credentialsModule(k: Kernel) {
  const credentialCheck = new CredentialCheckService(k.db, k.config, k.wechat.pay);
  return {
    name: 'credentials',
    services: { credentialCheck },
    routes(api) {
      api.handle(contract.checkCredentials, async ({ ctx, principal }) => credentialCheck.check(ctx, principal));
    },
  } satisfies AppModule;
}
