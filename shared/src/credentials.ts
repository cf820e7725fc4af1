/**
 * The credential check (接口凭证检查): the owner asks the server to try each configured WeChat
 * credential against WeChat itself and gets one line per credential, OK or what is wrong in
 * words (Chinese first, English beside). No line ever carries a secret, only which one.
 */
import { z } from 'zod';

export const CredentialName = z.enum([
  /** Official account AppID + AppSecret (a stable access token is requested). */
  'officialAccount',
  /** Mini-program AppID + AppSecret. */
  'miniProgram',
  /** WeChat Pay merchant private key + certificate serial (a signed v3 request). */
  'payMerchantKey',
  /** WeChat Pay APIv3 key (platform certificates downloaded and decrypted with it). */
  'payApiV3Key',
  /** What WeChat Pay signs with: platform certificates and/or the WeChat Pay public key. */
  'payPlatformKey',
]);
export type CredentialName = z.infer<typeof CredentialName>;

export const credentialLabel: Record<CredentialName, { zh: string; en: string }> = {
  officialAccount: { zh: '公众号 AppID / AppSecret', en: 'Official account AppID / AppSecret' },
  miniProgram: { zh: '小程序 AppID / AppSecret', en: 'Mini-program AppID / AppSecret' },
  payMerchantKey: { zh: '商户私钥与证书序列号', en: 'Merchant private key and certificate serial' },
  payApiV3Key: { zh: 'APIv3 密钥', en: 'APIv3 key' },
  payPlatformKey: { zh: '微信支付平台证书 / 公钥', en: 'WeChat Pay platform certificate / public key' },
};

export const CredentialCheckItem = z.object({
  name: CredentialName,
  /** The non-secret identity the credential belongs to: an AppID or a merchant id. */
  subject: z.string(),
  /** `skipped`: could not be checked (an earlier check failed, or the merchant's mode has nothing to check with). */
  status: z.enum(['ok', 'error', 'skipped']),
  /** WeChat's code when it gave one (`40125`, `SIGN_ERROR`), or ours (`AEAD`, `UNREACHABLE`). */
  code: z.string().nullable(),
  zh: z.string(),
  en: z.string(),
});
export type CredentialCheckItem = z.infer<typeof CredentialCheckItem>;

export const CredentialCheckResult = z.object({
  checkedAt: z.string(),
  items: z.array(CredentialCheckItem),
});
export type CredentialCheckResult = z.infer<typeof CredentialCheckResult>;
