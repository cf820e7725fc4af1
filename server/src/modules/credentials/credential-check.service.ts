/**
 * The owner's credential check: each configured WeChat credential tried against WeChat (or
 * the sandbox playing it), one line each, OK or what is wrong in words, Chinese first. The
 * lines name the credential and its AppID or merchant id, never a secret; the run is audited
 * (who checked, and which lines failed).
 */
import type { CredentialCheckItem, CredentialCheckResult } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import type { Config } from '../../kernel/config';
import { withTx, type Ctx } from '../../kernel/tx';
import type { WechatError } from '../../wechat/api/errors';
import {
  checkAppCredentials,
  checkPayCredentials,
  type ApiV3KeyOutcome,
  type AppCredentialOutcome,
  type MerchantKeyOutcome,
  type PlatformKeyOutcome,
} from '../../wechat/credential-check';
import type { HttpFunction } from '../../wechat/pay/http';
import { material, type WechatPay } from '../../wechat/pay/wechat-pay';
import { recordAudit } from '../auth/audit.service';
import type { StaffPrincipal } from '../auth/principal';

type Words = Pick<CredentialCheckItem, 'status' | 'code' | 'zh' | 'en'>;
const ok = (zh: string, en: string): Words => ({ status: 'ok', code: null, zh, en });
const error = (code: string | null, zh: string, en: string): Words => ({ status: 'error', code, zh, en });
const skipped = (zh: string, en: string): Words => ({ status: 'skipped', code: null, zh, en });

/** An app's stable_token answer in words; errcodes from WeChat's global return codes. */
export function appWords(outcome: AppCredentialOutcome): Words {
  if (outcome.ok) return ok('正常：已取得 access_token', 'OK: an access token was issued');
  const e: WechatError = outcome.error;
  const c = e.errcode;
  const code = c === null ? 'UNREACHABLE' : String(c);
  switch (c) {
    case null:
      return error(code, '无法连接微信服务器', 'WeChat could not be reached');
    case 40125:
      return error(code, 'AppSecret 错误 (40125)', 'The AppSecret is wrong (40125)');
    case 40013:
      return error(code, 'AppID 无效 (40013)', 'The AppID is not valid (40013)');
    case 40164:
      return error(
        code,
        '本服务器的 IP 不在 IP 白名单中 (40164)',
        'This server’s IP address is not on the app’s IP whitelist (40164)',
      );
    case 40001:
      return error(code, 'AppSecret 错误或不是最新 (40001)', 'The AppSecret is wrong or not the latest (40001)');
    case 45009:
    case 45011:
      return error(code, `调用次数已达上限 (${c})`, `The API call quota is used up (${c})`);
    case -1:
      return error(code, '微信系统繁忙，请稍后再试 (-1)', 'WeChat is busy; try again shortly (-1)');
    default:
      return error(code, `微信返回错误码 ${c}`, `WeChat answered error code ${c}`);
  }
}

export function merchantKeyWords(o: MerchantKeyOutcome): Words {
  if (o.ok) return ok('正常：签名已被微信支付接受', 'OK: WeChat Pay accepted the signed request');
  if (o.reason === 'KEY_UNREADABLE')
    return error(
      'KEY_UNREADABLE',
      '商户私钥或证书序列号无法读取（WECHATPAY_MERCHANT_PRIVATE_KEY / WECHATPAY_MERCHANT_SERIAL）',
      'The merchant private key or certificate serial cannot be read (WECHATPAY_MERCHANT_PRIVATE_KEY / WECHATPAY_MERCHANT_SERIAL)',
    );
  if (o.reason === 'UNREACHABLE') return error('UNREACHABLE', '无法连接微信支付', 'WeChat Pay could not be reached');
  if (o.code === 'SIGN_ERROR')
    return error(
      o.code,
      '签名错误：商户私钥与证书序列号不匹配，或商户号不对 (SIGN_ERROR)',
      'Signature refused: the merchant private key and certificate serial do not match, or the merchant id is wrong (SIGN_ERROR)',
    );
  return error(
    o.code,
    `微信支付拒绝了请求 (HTTP ${o.status} ${o.code})`,
    `WeChat Pay refused the request (HTTP ${o.status} ${o.code})`,
  );
}

export function apiV3KeyWords(o: ApiV3KeyOutcome): Words {
  if ('skipped' in o)
    return o.skipped === 'NO_CERTIFICATES'
      ? skipped(
          '无法检查：商户只使用微信支付公钥，没有可用 APIv3 密钥解密的平台证书（支付通知解密时才会用到）',
          'Cannot be checked: the merchant uses the WeChat Pay public key only, so no platform certificate is encrypted with the APIv3 key (payment notifications will use it)',
        )
      : skipped('未检查：商户私钥检查未通过', 'Not checked: the merchant key check failed');
  if (o.ok)
    return ok(
      `正常：${o.certificates} 张平台证书已用 APIv3 密钥解密`,
      `OK: ${o.certificates} platform certificate${o.certificates === 1 ? '' : 's'} decrypted with the APIv3 key`,
    );
  return error(
    'AEAD',
    'APIv3 密钥错误：平台证书解密失败 (AEAD_AES_256_GCM)',
    'The APIv3 key is wrong: the platform certificates could not be decrypted (AEAD_AES_256_GCM)',
  );
}

export function platformKeyWords(o: PlatformKeyOutcome): Words {
  if ('skipped' in o)
    return o.skipped === 'NEEDS_APIV3_KEY'
      ? skipped(
          '未检查：需要正确的 APIv3 密钥解密平台证书',
          'Not checked: the platform certificate needs a right APIv3 key',
        )
      : skipped('未检查：商户私钥检查未通过', 'Not checked: the merchant key check failed');
  if (o.ok)
    return ok(
      `正常：微信支付应答签名验证通过（${o.serial.startsWith('PUB_KEY_ID_') ? '微信支付公钥' : '平台证书'}）`,
      `OK: WeChat Pay’s answer verified (${o.serial.startsWith('PUB_KEY_ID_') ? 'WeChat Pay public key' : 'platform certificate'})`,
    );
  switch (o.reason) {
    case 'PUBLIC_KEY_UNREADABLE':
      return error(
        o.reason,
        '微信支付公钥无法读取（WECHATPAY_PUBLIC_KEY_ID / WECHATPAY_PUBLIC_KEY）',
        'The WeChat Pay public key cannot be read (WECHATPAY_PUBLIC_KEY_ID / WECHATPAY_PUBLIC_KEY)',
      );
    case 'UNKNOWN_SERIAL':
      return error(
        o.reason,
        '应答所用的公钥 ID 或证书序列号未配置：请检查 WECHATPAY_PUBLIC_KEY_ID',
        'WeChat Pay signed with a public key id or certificate serial that is not configured: check WECHATPAY_PUBLIC_KEY_ID',
      );
    case 'BAD_SIGNATURE':
      return error(
        o.reason,
        '微信支付公钥错误：应答签名验证失败',
        'The WeChat Pay public key is wrong: the answer’s signature does not verify',
      );
    case 'STALE_TIMESTAMP':
      return error(
        o.reason,
        '本服务器时钟与微信支付相差超过 5 分钟',
        'This server’s clock is more than 5 minutes off WeChat Pay’s',
      );
    default:
      return error(o.reason, '微信支付应答无法验证', 'WeChat Pay’s answer could not be verified');
  }
}

export class CredentialCheckService {
  constructor(
    private readonly db: DataSource,
    private readonly config: Pick<Config, 'wechat'>,
    private readonly pay: WechatPay,
    private readonly runtime: { http?: HttpFunction; fetch?: typeof fetch } = {},
  ) {}

  async check(ctx: Ctx, actor: StaffPrincipal): Promise<CredentialCheckResult> {
    const { wechat } = this.config;
    const s = this.pay.settings;
    const [oa, mp, pay] = await Promise.all([
      checkAppCredentials({ baseUrl: wechat.apiBase, ...wechat.oa, fetch: this.runtime.fetch }),
      checkAppCredentials({ baseUrl: wechat.apiBase, ...wechat.miniProgram, fetch: this.runtime.fetch }),
      checkPayCredentials(
        {
          apiBase: s.apiBase,
          mchid: s.mchid,
          merchantSerial: () => material('WECHATPAY_MERCHANT_SERIAL', s.merchantSerial),
          merchantPrivateKeyPem: () => material('WECHATPAY_MERCHANT_PRIVATE_KEY', s.merchantPrivateKey),
          apiV3Key: this.pay.apiV3Key,
          publicKeyId: () => material('WECHATPAY_PUBLIC_KEY_ID', s.publicKeyId),
          publicKeyPem: () => material('WECHATPAY_PUBLIC_KEY', s.publicKey),
        },
        { http: this.runtime.http },
      ),
    ]);
    const items: CredentialCheckItem[] = [
      { name: 'officialAccount', subject: wechat.oa.appId, ...appWords(oa) },
      { name: 'miniProgram', subject: wechat.miniProgram.appId, ...appWords(mp) },
      { name: 'payMerchantKey', subject: s.mchid, ...merchantKeyWords(pay.merchantKey) },
      { name: 'payApiV3Key', subject: s.mchid, ...apiV3KeyWords(pay.apiV3Key) },
      { name: 'payPlatformKey', subject: s.mchid, ...platformKeyWords(pay.platformKey) },
    ];
    await withTx(this.db, ctx, (tx) =>
      recordAudit(tx.tx, actor, 'credentials.check', 'credentials', 'wechat', {
        failed: items.filter((i) => i.status === 'error').map((i) => `${i.name}:${i.code}`),
      }),
    );
    return { checkedAt: new Date().toISOString(), items };
  }
}
