/**
 * Builds WeChat Pay notifications the way WeChat does, with plain node:crypto (not the code
 * under test), from the fixture keys, so tests can forge, tamper and replay them precisely.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { WechatPaySettings } from '../../src/wechat/pay/wechat-pay';

export const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

export const MCHID = '1900000109';
export const APPID = 'wxc0ffee0000000001';
export const APIV3_KEY = 'chatmallTestApiV3Key000000000032';
export const PLATFORM_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
export const PUBLIC_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000';

export const keys = {
  merchant: fixture('merchant-key.pem'),
  platform: fixture('platform-key.pem'),
  wechatpayPublicKeyPrivate: fixture('wechatpay-public-key-private.pem'),
};

/** Settings with the fixture keys inline; the API base is unreachable unless a test says otherwise. */
export function fixtureSettings(overrides: Partial<WechatPaySettings> = {}): WechatPaySettings {
  return {
    apiBase: 'http://127.0.0.1:9',
    mchid: MCHID,
    appid: APPID,
    merchantSerial: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB',
    merchantPrivateKey: keys.merchant,
    apiV3Key: APIV3_KEY,
    publicKeyId: PUBLIC_KEY_ID,
    publicKey: fixture('wechatpay-public-key.pem'),
    notifyUrl: 'http://127.0.0.1:9/api/pay/notify',
    ...overrides,
  };
}

export function paidTransaction(outTradeNo = 'CM20240801000001', total = 3900) {
  return {
    appid: APPID,
    mchid: MCHID,
    out_trade_no: outTradeNo,
    transaction_id: '4200001234202408011234567890',
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    attach: '',
    success_time: '2024-08-01T10:00:00+08:00',
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total, payer_total: total, currency: 'CNY', payer_currency: 'CNY' },
  };
}

export interface NotificationSpec {
  eventType?: string;
  payload?: object;
  /** Associated data used to encrypt; `envelopeAad` is what the envelope claims. */
  aad?: string;
  envelopeAad?: string;
  signingKey?: string;
  serial?: string;
  timestamp?: number;
  apiV3Key?: string;
  /** Flip one ciphertext bit *before* signing (so only the AEAD can catch it). */
  tamperCiphertext?: boolean;
  /** Replace the signature after signing. */
  signature?: string;
}

export function buildNotification(spec: NotificationSpec = {}): { headers: Record<string, string>; body: string } {
  const aad = spec.aad ?? 'transaction';
  const nonce = crypto.randomBytes(6).toString('hex');
  const cipher = crypto.createCipheriv('aes-256-gcm', Buffer.from(spec.apiV3Key ?? APIV3_KEY), Buffer.from(nonce));
  cipher.setAAD(Buffer.from(aad));
  const sealed = Buffer.concat([
    cipher.update(JSON.stringify(spec.payload ?? paidTransaction())),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  if (spec.tamperCiphertext) sealed[3] ^= 0x40;
  const body = JSON.stringify({
    id: crypto.randomUUID(),
    create_time: '2024-08-01T10:00:01+08:00',
    resource_type: 'encrypt-resource',
    event_type: spec.eventType ?? 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: sealed.toString('base64'),
      associated_data: spec.envelopeAad ?? aad,
      nonce,
    },
  });
  const timestamp = String(spec.timestamp ?? Math.floor(Date.now() / 1000));
  const headerNonce = crypto.randomBytes(16).toString('hex');
  const signature =
    spec.signature ??
    crypto
      .createSign('RSA-SHA256')
      .update(`${timestamp}\n${headerNonce}\n${body}\n`)
      .sign(spec.signingKey ?? keys.platform, 'base64');
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': headerNonce,
      'Wechatpay-Signature': signature,
      'Wechatpay-Serial': spec.serial ?? PLATFORM_SERIAL,
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    },
  };
}
