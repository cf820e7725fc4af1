/**
 * WeChat Pay configuration: a wrong-length APIv3 key stops start-up naming the key without
 * printing it; key files are read on first use, so the API can start before the sandbox.
 */
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/kernel/config';
import { WechatPay, WechatPayKeysUnavailableError } from '../../src/wechat/pay/wechat-pay';
import { fixtureSettings } from './support';

describe('WeChat Pay configuration', () => {
  it('refuses an APIv3 key that is not exactly 32 bytes, naming the key and never printing it', () => {
    const secret = 'this-key-is-31-bytes-long------';
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'test', WECHATPAY_APIV3_KEY: secret });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('WECHATPAY_APIV3_KEY: must be exactly 32 bytes');
    expect((error as Error).message).not.toContain(secret);
  });

  it('defaults to the sandbox and to the key files the sandbox writes, resolved from the repo root', () => {
    const c = loadConfig({ NODE_ENV: 'development' }).wechatPay;
    expect(c.apiBase).toBe('http://127.0.0.1:3100');
    expect(c.merchantPrivateKey).toBe(`file:${path.resolve(__dirname, '../../../.data/sandbox/pay/merchant-key.pem')}`);
    expect(Buffer.byteLength(c.apiV3Key)).toBe(32);
  });

  it('reads key files on first use and says which one is missing', () => {
    const pay = new WechatPay(fixtureSettings({ merchantPrivateKey: 'file:/nonexistent/merchant-key.pem' }));
    expect(() => pay.client).toThrow(WechatPayKeysUnavailableError);
    expect(() => pay.client).toThrow(
      'WECHATPAY_MERCHANT_PRIVATE_KEY could not be read from /nonexistent/merchant-key.pem',
    );
  });
});
