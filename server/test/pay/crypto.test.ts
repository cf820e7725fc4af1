/**
 * Pay v3 primitives against the vector in WECHAT-PROTOCOL.md §4.7 and fixed test keys. Every
 * expected string is built here a second way (plain node:crypto and template literals), not
 * with the code under test.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  aeadDecrypt,
  aeadEncrypt,
  apiV3KeyBytes,
  DecryptError,
  parseAuthorization,
  requestSignMessage,
  responseSignMessage,
  rsaSign,
  rsaVerify,
  signRequest,
} from '../../src/wechat/pay/crypto';
import { WechatPayClient } from '../../src/wechat/pay/client';
import { PlatformKeyring } from '../../src/wechat/pay/keyring';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
const merchantKey = fixture('merchant-key.pem');
const merchantPublicKey = fixture('merchant-public-key.pem');

/** The independent construction: node:crypto directly. */
const independentSign = (message: string) =>
  crypto.createSign('RSA-SHA256').update(message, 'utf8').sign(merchantKey, 'base64');

// Vector V11 (TheNorthMemory's transaction example, via easywechat's AesGcmTest).
const V11 = {
  key: '5YI2YwEdV56hCsNEoOGEeL17vRFcz3i6',
  nonce: 'katvtHDDPxkw',
  aad: 'transaction',
  plaintext: fixture('v11-plaintext.txt').replace(/\n$/, ''),
  ciphertext: fixture('v11-ciphertext.txt').trim(),
};

describe('AES-256-GCM (vector V11)', () => {
  const key = apiV3KeyBytes(V11.key);

  it('decrypts the official ciphertext to the official plaintext', () => {
    const plain = aeadDecrypt(key, { ciphertext: V11.ciphertext, nonce: V11.nonce, associated_data: V11.aad });
    expect(plain).toBe(V11.plaintext);
    expect(JSON.parse(plain)).toMatchObject({ mchid: '1230000109', trade_state: 'SUCCESS', amount: { total: 100 } });
  });

  it('encrypts the official plaintext to the official ciphertext', () => {
    expect(aeadEncrypt(key, V11.nonce, V11.aad, V11.plaintext)).toBe(V11.ciphertext);
  });

  it('refuses a ciphertext with one flipped bit (the tag is checked)', () => {
    const raw = Buffer.from(V11.ciphertext, 'base64');
    raw[10] ^= 0x01;
    expect(() =>
      aeadDecrypt(key, { ciphertext: raw.toString('base64'), nonce: V11.nonce, associated_data: V11.aad }),
    ).toThrow(DecryptError);
  });

  it('refuses the right ciphertext with the wrong associated data', () => {
    expect(() => aeadDecrypt(key, { ciphertext: V11.ciphertext, nonce: V11.nonce, associated_data: 'refund' })).toThrow(
      DecryptError,
    );
  });

  it('refuses a wrong APIv3 key instead of returning garbage', () => {
    const wrong = apiV3KeyBytes('5YI2YwEdV56hCsNEoOGEeL17vRFcz3i7');
    expect(() =>
      aeadDecrypt(wrong, { ciphertext: V11.ciphertext, nonce: V11.nonce, associated_data: V11.aad }),
    ).toThrow(DecryptError);
  });

  it('accepts only a 32-byte APIv3 key', () => {
    expect(() => apiV3KeyBytes('too-short')).toThrow('exactly 32 bytes (got 9)');
    expect(() => apiV3KeyBytes('x'.repeat(33))).toThrow('exactly 32 bytes');
  });
});

describe('request signing', () => {
  it('signs the documented five-line message, and a GET ends with an empty line', () => {
    expect(requestSignMessage('GET', '/v3/certificates', '1554208460', '593BEC0C930BF1AFEB40B4A08C8FB242', '')).toBe(
      'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n',
    );
  });

  it('builds an Authorization header equal to one built by hand with node:crypto', () => {
    const body = '{"mchid":"1900000109","out_trade_no":"T20240801001"}';
    const header = signRequest({
      method: 'POST',
      pathWithQuery: '/v3/pay/transactions/jsapi',
      body,
      mchid: '1900000109',
      merchantSerial: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB',
      merchantPrivateKey: merchantKey,
      timestamp: '1722492232',
      nonce: 'NONCE0123456789',
    });
    const message = ['POST', '/v3/pay/transactions/jsapi', '1722492232', 'NONCE0123456789', body].join('\n') + '\n';
    const expected =
      `WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="NONCE0123456789",` +
      `signature="${independentSign(message)}",timestamp="1722492232",serial_no="408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB"`;
    expect(header).toBe(expected);
    expect(parseAuthorization(header)).toMatchObject({ mchid: '1900000109', timestamp: '1722492232' });
  });

  it('round-trips: a signature verifies with the public key and fails for another body', () => {
    const sig = rsaSign('hello\n', merchantKey);
    expect(rsaVerify('hello\n', sig, merchantPublicKey)).toBe(true);
    expect(rsaVerify('hello \n', sig, merchantPublicKey)).toBe(false);
    expect(rsaVerify('hello\n', 'not base64 at all', merchantPublicKey)).toBe(false);
  });

  it('verifies a response message built over the raw bytes, with the trailing newline even for an empty body', () => {
    const platformKey = fixture('platform-key.pem');
    const msg = responseSignMessage('1722492232', 'abc', Buffer.alloc(0));
    expect(msg.toString()).toBe('1722492232\nabc\n\n');
    const sig = crypto.createSign('RSA-SHA256').update('1722492232\nabc\n\n').sign(platformKey, 'base64');
    const keyring = new PlatformKeyring();
    const { serial } = keyring.addCertificate(fixture('platform-cert.pem'));
    expect(serial).toBe('5157F09EFDC096DE15EBE81A47057A7232F1B8E1');
    expect(rsaVerify(msg, sig, keyring.get(serial)!)).toBe(true);
  });
});

describe('wx.requestPayment parameters', () => {
  const client = new WechatPayClient({
    mchid: '1900000109',
    appid: 'wx8888888888888888',
    merchantSerial: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB',
    merchantPrivateKey: crypto.createPrivateKey(merchantKey),
    merchantPrivateKeyPem: merchantKey,
    apiV3Key: apiV3KeyBytes('x'.repeat(32)),
    baseUrl: 'http://127.0.0.1:1',
    keyring: new PlatformKeyring(),
    notifyUrl: 'http://127.0.0.1:1/notify',
    now: () => 1414561699_000,
  });

  it('signs appId, timeStamp (seconds), nonceStr and package, four lines each ending in \\n', () => {
    const params = client.requestPayment('wx201410272009395522657a690389285100', '5K8264ILTKCH16CQ2502SI8ZNMTM67VS');
    const message =
      'wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n';
    expect(params).toEqual({
      appId: 'wx8888888888888888',
      timeStamp: '1414561699',
      nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
      package: 'prepay_id=wx201410272009395522657a690389285100',
      signType: 'RSA',
      paySign: independentSign(message),
    });
  });
});
