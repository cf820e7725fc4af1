/**
 * The owner's credential check against the real sandbox playing WeChat: with the configured
 * credentials every line is OK; a wrong official-account secret, a wrong APIv3 key and a
 * merchant serial that does not match the key are each named in words (Chinese and English),
 * and no line carries a secret. Only the owner may run it; each run is audited.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CredentialCheckResult } from '@chatmall/shared';
import { AuditLogEntity } from '../src/modules/auth/audit-log.entity';
import { compose } from '../src/main/compose';
import { WechatPay } from '../src/wechat/pay/wechat-pay';
import { api, makeStaff } from './support/people';
import { startPayStack, type PayStack } from './support/pay-stack';
import { testConfig } from './support/harness';

jest.setTimeout(30_000);
let p: PayStack;
let owner: { auth: { authorization: string } };
beforeAll(async () => {
  p = await startPayStack();
  owner = await makeStaff(p.stack.db, 'owner');
}, 60_000);
afterAll(async () => p?.close());

const WRONG_OA_SECRET = 'this-is-not-the-oa-secret-123456';
const WRONG_APIV3_KEY = 'ThisIsNotTheApiV3KeyOfTheShop!!!'; // 32 bytes, so the server starts

/** The same API over the same database and Redis, with some settings changed. */
async function withSettings<T>(overrides: Record<string, string>, fn: (baseUrl: string) => Promise<T>): Promise<T> {
  const base = p.stack.config;
  const config = testConfig({
    WECHAT_API_BASE: base.wechat.apiBase,
    WECHATPAY_API_BASE: base.wechatPay.apiBase,
    WECHATPAY_MERCHANT_SERIAL: base.wechatPay.merchantSerial,
    WECHATPAY_MERCHANT_PRIVATE_KEY: base.wechatPay.merchantPrivateKey,
    WECHATPAY_PUBLIC_KEY_ID: base.wechatPay.publicKeyId,
    WECHATPAY_PUBLIC_KEY: base.wechatPay.publicKey,
    WECHATPAY_NOTIFY_URL: base.wechatPay.notifyUrl,
    ...overrides,
  });
  const app = compose({
    config,
    db: p.stack.db,
    redis: p.stack.redis,
    log: p.stack.log,
    wechatPay: new WechatPay(config.wechatPay),
  });
  const server = http.createServer(app.app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await app.close();
  }
}

async function check(baseUrl: string): Promise<CredentialCheckResult> {
  const res = await api(baseUrl, 'POST', '/api/admin/credentials/check', owner.auth);
  expect(res.status).toBe(200);
  return res.body as CredentialCheckResult;
}
const line = (r: CredentialCheckResult, name: string) => r.items.find((i) => i.name === name)!;

describe('credential check', () => {
  it('with the configured credentials every line is OK, named by AppID or merchant id', async () => {
    const r = await check(p.apiUrl);
    expect(r.items.map((i) => [i.name, i.status])).toEqual([
      ['officialAccount', 'ok'],
      ['miniProgram', 'ok'],
      ['payMerchantKey', 'ok'],
      ['payApiV3Key', 'ok'],
      ['payPlatformKey', 'ok'],
    ]);
    expect(line(r, 'officialAccount').subject).toBe(p.stack.config.wechat.oa.appId);
    expect(line(r, 'payMerchantKey').subject).toBe(p.stack.config.wechatPay.mchid);
    expect(line(r, 'payApiV3Key').en).toMatch(/^OK: \d+ platform certificates? decrypted/);
  });

  it('a wrong official-account secret is named: AppSecret 错误 (40125); the others stay OK', async () => {
    const r = await withSettings({ WECHAT_OA_SECRET: WRONG_OA_SECRET }, check);
    expect(line(r, 'officialAccount')).toMatchObject({
      status: 'error',
      code: '40125',
      zh: 'AppSecret 错误 (40125)',
      en: 'The AppSecret is wrong (40125)',
    });
    expect(line(r, 'miniProgram').status).toBe('ok');
    expect(line(r, 'payApiV3Key').status).toBe('ok');
    expect(JSON.stringify(r)).not.toContain(WRONG_OA_SECRET);
  });

  it('a wrong APIv3 key is named: the platform certificates do not decrypt (AEAD)', async () => {
    const r = await withSettings({ WECHATPAY_APIV3_KEY: WRONG_APIV3_KEY }, check);
    expect(line(r, 'payMerchantKey').status).toBe('ok');
    expect(line(r, 'payApiV3Key')).toMatchObject({
      status: 'error',
      code: 'AEAD',
      zh: 'APIv3 密钥错误：平台证书解密失败 (AEAD_AES_256_GCM)',
      en: 'The APIv3 key is wrong: the platform certificates could not be decrypted (AEAD_AES_256_GCM)',
    });
    expect(line(r, 'officialAccount').status).toBe('ok');
    const text = JSON.stringify(r);
    expect(text).not.toContain(WRONG_APIV3_KEY);
    expect(text).not.toContain(p.stack.config.wechatPay.apiV3Key);
  });

  it('a merchant serial that does not belong to the private key: WeChat Pay answers SIGN_ERROR, named in words', async () => {
    const r = await withSettings({ WECHATPAY_MERCHANT_SERIAL: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' }, check);
    expect(line(r, 'payMerchantKey')).toMatchObject({ status: 'error', code: 'SIGN_ERROR' });
    expect(line(r, 'payMerchantKey').zh).toContain('商户私钥与证书序列号不匹配');
    expect(line(r, 'payApiV3Key').status).toBe('skipped');
    expect(line(r, 'payPlatformKey').status).toBe('skipped');
  });

  it('only the owner may run it, and each run is audited with the failed lines (no secrets)', async () => {
    for (const role of ['marketer', 'clerk'] as const) {
      const staff = await makeStaff(p.stack.db, role);
      expect((await api(p.apiUrl, 'POST', '/api/admin/credentials/check', staff.auth)).status).toBe(403);
    }
    expect((await api(p.apiUrl, 'POST', '/api/admin/credentials/check')).status).toBe(401);
    const rows = await p.stack.db.getRepository(AuditLogEntity).findBy({ action: 'credentials.check' });
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const details = JSON.stringify(rows.map((r) => r.detail));
    expect(details).toContain('officialAccount:40125');
    expect(details).toContain('payApiV3Key:AEAD');
    expect(details).not.toContain(WRONG_OA_SECRET);
  });
});
