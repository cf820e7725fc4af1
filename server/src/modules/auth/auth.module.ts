import type { AppModule, Kernel } from '../module';
import { authRoutes, staffRoutes } from './auth.routes';
import { BuyerService } from './buyer.service';
import { LoginService, type LoginCodeExchanger } from './login.service';
import { SessionService } from './session.service';
import { SignInThrottle } from './sign-in-throttle';
import { StaffService } from './staff.service';
import { wechatLoginCodes } from './wechat-login';

/** Buyers and staff: sign-in, sessions, staff accounts, the audit log, buyers' WeChat identity. */
export function authModule(k: Kernel, opts: { loginCodes?: LoginCodeExchanger } = {}) {
  const sessions = new SessionService(k.db, k.log);
  // Sign-in counters in Redis, in memory while Redis is down (buyers can still sign in).
  const throttle = new SignInThrottle(k.redis);
  const logins = new LoginService(k.db, sessions, opts.loginCodes ?? wechatLoginCodes(k.wechat.miniProgram), throttle);
  const buyers = new BuyerService(k.db);
  const staff = new StaffService(k.db, sessions, throttle);
  return {
    name: 'auth',
    services: { sessions, logins, buyers, staff },
    routes(api) {
      authRoutes(api, { db: k.db, logins });
      staffRoutes(api, { db: k.db, logins, staff });
    },
    subscribe(on) {
      on.on('buyer.registered', 'merchant-notice', async ({ buyerId }) => {
        k.log.info({ notice: 'buyer-registered', buyerId }, 'a new buyer signed in for the first time');
      });
    },
  } satisfies AppModule;
}
