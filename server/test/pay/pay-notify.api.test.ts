/**
 * POST /api/pay/notify through the real app: good notifications reach the handler once
 * verified; every bad one is refused with a 4xx and nothing reaches the handler.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compose } from '../../src/main/compose';
import type { PayNotification } from '../../src/wechat/pay/notification';
import { WechatPay } from '../../src/wechat/pay/wechat-pay';
import { startStack, type TestStack } from '../support/harness';
import { buildNotification, fixture, fixtureSettings, keys, paidTransaction, PUBLIC_KEY_ID } from './support';

let stack: TestStack;
let server: http.Server;
let notifyUrl: string;
const received: PayNotification[] = [];
let handlerFails = false;

beforeAll(async () => {
  stack = await startStack({ seed: false });
  const wechatPay = new WechatPay(fixtureSettings(), { certificateRefreshIntervalMs: 0 });
  wechatPay.client.keyring.addCertificate(fixture('platform-cert.pem'));
  const { app } = compose({
    config: stack.config,
    db: stack.db,
    redis: stack.redis,
    log: stack.log,
    wechatPay,
    payNotifications: {
      async handle(n) {
        if (handlerFails) throw new Error('database went away');
        received.push(n);
      },
    },
  });
  server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  notifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/pay/notify`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await stack.close();
});
beforeEach(() => {
  received.length = 0;
  handlerFails = false;
});

const post = (n: { headers: Record<string, string>; body: string }) =>
  fetch(notifyUrl, { method: 'POST', headers: n.headers, body: n.body });

describe('a verified notification', () => {
  it('reaches the handler as a typed payment and is answered 204', async () => {
    const res = await post(buildNotification());
    expect(res.status).toBe(204);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      kind: 'payment',
      eventType: 'TRANSACTION.SUCCESS',
      transaction: { out_trade_no: 'CM20240801000001', trade_state: 'SUCCESS', amount: { total: 3900 } },
    });
  });

  it('verifies with the WeChat Pay public key when the serial is a PUB_KEY_ID', async () => {
    const res = await post(buildNotification({ signingKey: keys.wechatpayPublicKeyPrivate, serial: PUBLIC_KEY_ID }));
    expect(res.status).toBe(204);
    expect(received).toHaveLength(1);
  });

  it('parses a refund notification whose refund_status says CLOSE', async () => {
    const refund = {
      mchid: '1900000109',
      out_trade_no: 'CM20240801000001',
      transaction_id: '4200001234202408011234567890',
      out_refund_no: 'RF20240801000001',
      refund_id: '50000000382019052709732678859',
      refund_status: 'CLOSE',
      user_received_account: '支付用户零钱',
      amount: { total: 3900, refund: 3900, payer_total: 3900, payer_refund: 3900 },
    };
    const res = await post(buildNotification({ eventType: 'REFUND.CLOSED', payload: refund, aad: 'refund' }));
    expect(res.status).toBe(204);
    expect(received[0]).toMatchObject({
      kind: 'refund',
      eventType: 'REFUND.CLOSED',
      refund: { refund_status: 'CLOSE' },
    });
  });

  it('is answered 500 when the handler fails, so WeChat retries', async () => {
    handlerFails = true;
    expect((await post(buildNotification())).status).toBe(500);
  });
});

describe('a bad notification is refused with a 4xx and nothing is processed', () => {
  const other = crypto
    .generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const reserialised = () => {
    const n = buildNotification();
    return { ...n, body: JSON.stringify(JSON.parse(n.body), null, 2) };
  };
  const withoutHeader = (name: string) => () => {
    const n = buildNotification();
    delete n.headers[name];
    return n;
  };

  it.each<[string, () => { headers: Record<string, string>; body: string }, number]>([
    ['forged signature (another key)', () => buildNotification({ signingKey: other }), 401],
    ['unknown serial', () => buildNotification({ serial: '0123456789ABCDEF0123456789ABCDEF01234567' }), 401],
    ['timestamp 301 s in the past', () => buildNotification({ timestamp: Math.floor(Date.now() / 1000) - 301 }), 401],
    ['timestamp 301 s in the future', () => buildNotification({ timestamp: Math.floor(Date.now() / 1000) + 301 }), 401],
    [
      'SIGNTEST probe',
      () => buildNotification({ signature: `WECHATPAY/SIGNTEST/${crypto.randomBytes(64).toString('base64')}` }),
      401,
    ],
    ['tampered ciphertext (validly signed)', () => buildNotification({ tamperCiphertext: true }), 400],
    ['wrong associated data', () => buildNotification({ aad: 'transaction', envelopeAad: 'refund' }), 400],
    [
      'encrypted with another APIv3 key',
      () => buildNotification({ apiV3Key: 'someoneElsesApiV3Key000000000032' }),
      400,
    ],
    ['missing Wechatpay-Signature', withoutHeader('Wechatpay-Signature'), 401],
    ['missing Wechatpay-Serial', withoutHeader('Wechatpay-Serial'), 401],
    ['missing Wechatpay-Timestamp', withoutHeader('Wechatpay-Timestamp'), 401],
    ['missing Wechatpay-Nonce', withoutHeader('Wechatpay-Nonce'), 401],
    ['JSON body re-serialised with different spacing', reserialised, 401],
    [
      'a payment for another app id',
      () => buildNotification({ payload: { ...paidTransaction(), appid: 'wx0000000000000000' } }),
      400,
    ],
    [
      'a payment for another merchant',
      () => buildNotification({ payload: { ...paidTransaction(), mchid: '1234567890' } }),
      400,
    ],
  ])('%s', async (_name, make, status) => {
    const res = await post(make());
    expect(res.status).toBe(status);
    expect(received).toHaveLength(0);
  });
});
