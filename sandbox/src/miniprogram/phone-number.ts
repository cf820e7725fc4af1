/**
 * The phone-number button (WECHAT-MARKETING.md §6): a user who taps `open-type="getPhoneNumber"`
 * and agrees gives the mini-program a code (not the wx.login code) that works once, for 5
 * minutes. `POST /wxa/business/getuserphonenumber` trades it for `phone_info`; with `openid`
 * the code must have been issued to that user. Errors as WeChat's: 40029 invalid code (unknown,
 * used, expired, another user's), 40013 when the token is not the mini-program's.
 */
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import type Koa from 'koa';
import type Router from 'koa-router';
import { answerSimulation, platformFor, readBody, WechatFault } from '../platform/platform';
import { JsonStore } from '../store';
import type { SandboxContext, Surface } from '../surface';

interface PhoneCode {
  openid: string;
  phone: string;
  countryCode: string;
  issuedAt: number;
  used: boolean;
}
interface PhoneState {
  codes: Record<string, PhoneCode>;
}

const CODE_TTL_MS = 5 * 60_000;

/** A user's number unless they chose one: 138 and 8 digits from their openid, the same each time. */
export const defaultPhoneOf = (openid: string) =>
  `138${String(createHash('sha256').update(openid).digest().readUInt32BE(0) % 100_000_000).padStart(8, '0')}`;

export function phoneNumberSurface(ctx: SandboxContext): Surface {
  const p = platformFor(ctx);
  const app = p.apps.mp;
  const store = new JsonStore<PhoneState>(path.join(ctx.stateDir, 'phone-numbers.json'), () => ({ codes: {} }));
  return {
    name: 'phone-number',
    mount(router: Router) {
      router.post(
        '/wxa/business/getuserphonenumber',
        p.route('/wxa/business/getuserphonenumber', async (c: Koa.Context) => {
          if (p.appOfToken(c.query.access_token as string | undefined) !== app.appId) throw new WechatFault(40013);
          const b = await readBody(c);
          const entry = store.state.codes[String(b.code ?? '')];
          if (!entry || entry.used || Date.now() - entry.issuedAt > CODE_TTL_MS) throw new WechatFault(40029);
          if (b.openid !== undefined && b.openid !== entry.openid) throw new WechatFault(40029);
          store.update(() => (entry.used = true));
          const national = entry.countryCode === '86';
          return {
            phone_info: {
              phoneNumber: national ? entry.phone : `+${entry.countryCode}${entry.phone}`,
              purePhoneNumber: entry.phone,
              countryCode: entry.countryCode,
              watermark: { timestamp: Math.floor(Date.now() / 1000), appid: app.appId },
            },
          };
        }),
      );
      /** The user taps the phone-number button and agrees: the page gets `e.detail.code`. */
      router.post('/sandbox/mp/users/:openid/phone-code', async (c: Koa.Context) => {
        const b = await readBody(c);
        const phone =
          typeof b.phone === 'string' && /^\d{5,15}$/.test(b.phone) ? b.phone : defaultPhoneOf(c.params.openid);
        const countryCode = typeof b.countryCode === 'string' && /^\d{1,4}$/.test(b.countryCode) ? b.countryCode : '86';
        const code = randomBytes(16).toString('hex');
        store.update((s) => {
          // Spent and stale codes go: the file holds only codes that might still be traded.
          for (const [k, v] of Object.entries(s.codes))
            if (v.used || Date.now() - v.issuedAt > CODE_TTL_MS) delete s.codes[k];
          s.codes[code] = { openid: c.params.openid, phone, countryCode, issuedAt: Date.now(), used: false };
        });
        answerSimulation(c, { code, errMsg: 'getPhoneNumber:ok' });
      });
    },
    close() {
      store.flush();
    },
  };
}
