/**
 * The sandbox's WeChat Pay: WeChat's order and refund rules, keys that survive a restart,
 * signed requests and responses over HTTP, and notifications on the retry schedule.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createSandbox, type Sandbox } from '../../src/app';
import { emptyLedger, Ledger, PayError, type LedgerState } from '../../src/pay/ledger';
import { PayKeys } from '../../src/pay/keys';
import { Notifier, RETRY_SCHEDULE_SECONDS, type Delivery, type NotifySettings } from '../../src/pay/notifier';
import type { PaySurface } from '../../src/pay/surface';

const merchant = { mchid: '1900000109', appid: 'wxc0ffee0000000001' };
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

function newLedger() {
  const state: LedgerState = emptyLedger();
  return new Ledger(
    () => state,
    () => undefined,
    merchant,
  );
}

const prepayBody = (overrides: Record<string, unknown> = {}) => ({
  ...merchant,
  description: '正山小种 50g',
  out_trade_no: 'CM000000000001',
  notify_url: 'http://127.0.0.1:3000/api/pay/notify',
  amount: { total: 2900, currency: 'CNY' },
  payer: { openid: 'o_buyer' },
  ...overrides,
});

describe('orders follow WeChat Pay rules', () => {
  it('the same parameters re-posted before expiry get a new prepay_id for the same order', () => {
    const ledger = newLedger();
    const a = ledger.prepay(prepayBody());
    const b = ledger.prepay(prepayBody());
    expect(a).not.toBeInstanceOf(PayError);
    expect(b).not.toEqual(a);
    expect(ledger.order('CM000000000001')?.prepayIds).toHaveLength(2);
  });

  it('different parameters, or the same ones after time_expire, get OUT_TRADE_NO_USED', () => {
    const ledger = newLedger();
    const now = Date.now();
    ledger.prepay(prepayBody({ time_expire: new Date(now + 120_000).toISOString() }), now);
    expect(ledger.prepay(prepayBody({ amount: { total: 1 } }), now)).toMatchObject({
      code: 'OUT_TRADE_NO_USED',
      status: 403,
    });
    const later = ledger.prepay(prepayBody({ time_expire: new Date(now + 120_000).toISOString() }), now + 180_000);
    expect(later).toMatchObject({ code: 'OUT_TRADE_NO_USED' });
  });

  it('refuses bad parameters with PARAM_ERROR and a foreign app with APPID_MCHID_NOT_MATCH', () => {
    const ledger = newLedger();
    expect(ledger.prepay(prepayBody({ out_trade_no: 'short' }))).toMatchObject({ status: 400, code: 'PARAM_ERROR' });
    expect(ledger.prepay(prepayBody({ amount: { total: 1.5 } }))).toMatchObject({ code: 'PARAM_ERROR' });
    expect(ledger.prepay(prepayBody({ notify_url: 'https://x.example/n?a=1' }))).toMatchObject({ code: 'PARAM_ERROR' });
    expect(ledger.prepay(prepayBody({ appid: 'wx0000000000000000' }))).toMatchObject({ code: 'APPID_MCHID_NOT_MATCH' });
  });

  it('moves NOTPAY → USERPAYING → SUCCESS, and a paid order cannot be closed (ORDERPAID) or prepaid again', () => {
    const ledger = newLedger();
    const { prepay_id } = ledger.prepay(prepayBody()) as { prepay_id: string };
    expect(ledger.startPaying(prepay_id)).toMatchObject({ trade_state: 'USERPAYING' });
    expect(ledger.close('CM000000000001', merchant.mchid)).toBe('userpaying');
    expect(ledger.pay(prepay_id)).toMatchObject({
      trade_state: 'SUCCESS',
      transaction_id: expect.stringMatching(/^\d{28}$/),
    });
    expect(ledger.close('CM000000000001', merchant.mchid)).toMatchObject({ status: 403, code: 'ORDERPAID' });
    expect(ledger.prepay(prepayBody())).toMatchObject({ code: 'ORDERPAID' });
  });

  it('a closed order stays closed: ORDER_CLOSED on close, prepay and pay', () => {
    const ledger = newLedger();
    const { prepay_id } = ledger.prepay(prepayBody()) as { prepay_id: string };
    expect(ledger.close('CM000000000001', merchant.mchid)).toBe('closed');
    expect(ledger.close('CM000000000001', merchant.mchid)).toMatchObject({ code: 'ORDER_CLOSED' });
    expect(ledger.pay(prepay_id)).toMatchObject({ code: 'ORDER_CLOSED' });
  });

  it('a failed payment is PAYERROR and may be paid with a new prepay; an abandoned one stays NOTPAY', () => {
    const ledger = newLedger();
    const first = ledger.prepay(prepayBody()) as { prepay_id: string };
    expect(ledger.abandon(first.prepay_id)).toMatchObject({ trade_state: 'NOTPAY' });
    expect(ledger.fail(first.prepay_id)).toMatchObject({ trade_state: 'PAYERROR' });
    const second = ledger.prepay(prepayBody()) as { prepay_id: string };
    expect(ledger.pay(second.prepay_id)).toMatchObject({ trade_state: 'SUCCESS' });
  });
});

describe('refunds follow WeChat Pay rules', () => {
  function paid() {
    const ledger = newLedger();
    const { prepay_id } = ledger.prepay(prepayBody()) as { prepay_id: string };
    ledger.pay(prepay_id);
    return ledger;
  }
  const refund = (out_refund_no: string, amount: number) => ({
    out_trade_no: 'CM000000000001',
    out_refund_no,
    amount: { refund: amount, total: 2900, currency: 'CNY' },
  });

  it('starts PROCESSING, puts the order in REFUND, and refuses more than was paid (NOT_ENOUGH)', () => {
    const ledger = paid();
    expect(ledger.createRefund(refund('RF1', 2000))).toMatchObject({ status: 'PROCESSING' });
    expect(ledger.order('CM000000000001')?.trade_state).toBe('REFUND');
    expect(ledger.createRefund(refund('RF2', 1000))).toMatchObject({ status: 403, code: 'NOT_ENOUGH' });
    expect(ledger.createRefund(refund('RF1', 2000))).toMatchObject({ out_refund_no: 'RF1' }); // same number, same refund
  });

  it('refuses a refund of an unpaid order', () => {
    const ledger = newLedger();
    ledger.prepay(prepayBody());
    expect(ledger.createRefund(refund('RF1', 100))).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('ABNORMAL is not final, SUCCESS is; the notification says CLOSE for a closed refund', () => {
    const ledger = paid();
    ledger.createRefund(refund('RF1', 100));
    expect(ledger.settleRefund('RF1', 'ABNORMAL')).toMatchObject({ status: 'ABNORMAL' });
    expect(ledger.settleRefund('RF1', 'SUCCESS')).toMatchObject({
      status: 'SUCCESS',
      success_time: expect.any(String),
    });
    expect(ledger.settleRefund('RF1', 'CLOSED')).toBeInstanceOf(PayError);
    ledger.createRefund(refund('RF2', 100));
    const closed = ledger.settleRefund('RF2', 'CLOSED');
    expect(ledger.refundNotice(closed as never)).toMatchObject({ refund_status: 'CLOSE' });
    expect(ledger.refundView(closed as never)).toMatchObject({ status: 'CLOSED' });
  });
});

describe('sandbox Pay keys', () => {
  it('are generated once and survive a restart, with files for the server beside them', () => {
    const dir = tmp('pay-keys-');
    const a = new PayKeys(dir);
    const b = new PayKeys(dir);
    expect(b.state.merchant.serial).toBe(a.state.merchant.serial);
    expect(b.currentPlatform.serial).toBe(a.currentPlatform.serial);
    expect(a.state.publicKey.id).toMatch(/^PUB_KEY_ID_\d+$/);
    expect(fs.readFileSync(path.join(dir, 'merchant-serial.txt'), 'utf8').trim()).toBe(a.state.merchant.serial);
    // The certificate's serial reads back as the 40-hex serial WeChat sends in Wechatpay-Serial.
    expect(new crypto.X509Certificate(a.currentPlatform.certificatePem).serialNumber).toBe(a.currentPlatform.serial);
  });
});

describe('notification retries', () => {
  it('follow WeChat’s 15-step schedule (divided by timeScale) and stop after the last', async () => {
    const arrivals: number[] = [];
    const merchantServer = http.createServer((req, res) => {
      arrivals.push(Date.now());
      req.resume();
      res.statusCode = 500;
      res.end('{"code":"FAIL","message":"失败"}');
    });
    await new Promise<void>((r) => merchantServer.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(merchantServer.address() as AddressInfo).port}/notify`;
    const deliveries: Delivery[] = [];
    const settings: NotifySettings = {
      signMode: 'cert',
      mixedPublicKeyShare: 0,
      duplicateDeliveries: false,
      signtestProbes: false,
      dropNextNotifications: 0,
    };
    const timeScale = 100_000; // 24 h 4 min → under a second
    const notifier = new Notifier({
      keys: new PayKeys(tmp('pay-notify-')),
      apiV3Key: 'chatmallSandboxApiV3Key000000032',
      timeScale,
      log: pino({ level: 'silent' }),
      settings: () => settings,
      deliveries: () => deliveries,
      changed: () => undefined,
    });
    const started = Date.now();
    const d = notifier.send('TRANSACTION.SUCCESS', '支付成功', 'transaction', { out_trade_no: 'x' }, url);
    const deadline = Date.now() + 10_000;
    while (d.state === 'pending' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    notifier.close();
    merchantServer.close();
    expect(d.state).toBe('gave-up');
    expect(d.attempts).toHaveLength(1 + RETRY_SCHEDULE_SECONDS.length);
    expect(arrivals).toHaveLength(16);
    const total = RETRY_SCHEDULE_SECONDS.reduce((a, b) => a + b, 0);
    expect(total).toBe(24 * 3600 + 4 * 60);
    expect(Date.now() - started).toBeGreaterThanOrEqual((total * 1000) / timeScale - 5);
  });
});

describe('the /v3 API over HTTP', () => {
  let sandbox: Sandbox;
  let server: http.Server;
  let base: string;
  let pay: PaySurface;
  beforeAll(async () => {
    sandbox = createSandbox({
      merchantBaseUrl: 'http://127.0.0.1:9',
      selfBaseUrl: 'http://127.0.0.1:0',
      stateDir: tmp('sandbox-pay-http-'),
      logLevel: 'silent',
    });
    pay = sandbox.surfaces.find((s) => s.name === 'pay') as PaySurface;
    server = http.createServer(sandbox.app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await sandbox.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  function signed(method: string, url: string, body = '', key = pay.keys.state.merchant.privateKeyPem) {
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = crypto.randomBytes(8).toString('hex');
    const sig = crypto
      .createSign('RSA-SHA256')
      .update(`${method}\n${url}\n${ts}\n${nonce}\n${body}\n`)
      .sign(key, 'base64');
    return fetch(`${base}${url}`, {
      method,
      body: body || undefined,
      headers: {
        'Content-Type': 'application/json',
        Authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${merchant.mchid}",nonce_str="${nonce}",signature="${sig}",timestamp="${ts}",serial_no="${pay.keys.state.merchant.serial}"`,
      },
    });
  }

  it('answers a correctly signed request with a response signed by the platform certificate', async () => {
    const body = JSON.stringify(prepayBody({ out_trade_no: 'CMHTTP00000001' }));
    const res = await signed('POST', '/v3/pay/transactions/jsapi', body);
    expect(res.status).toBe(200);
    const raw = await res.text();
    expect(JSON.parse(raw)).toEqual({ prepay_id: expect.stringMatching(/^wx/) });
    const serial = res.headers.get('wechatpay-serial')!;
    expect(serial).toBe(pay.keys.currentPlatform.serial);
    const cert = new crypto.X509Certificate(pay.keys.currentPlatform.certificatePem);
    const message = `${res.headers.get('wechatpay-timestamp')}\n${res.headers.get('wechatpay-nonce')}\n${raw}\n`;
    expect(
      crypto.verify(
        'sha256',
        Buffer.from(message),
        cert.publicKey,
        Buffer.from(res.headers.get('wechatpay-signature')!, 'base64'),
      ),
    ).toBe(true);
  });

  it('answers 401 SIGN_ERROR with truncated_sign_message when the body sent differs from the body signed', async () => {
    const body = JSON.stringify(prepayBody({ out_trade_no: 'CMHTTP00000002' }));
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = crypto
      .createSign('RSA-SHA256')
      .update(`POST\n/v3/pay/transactions/jsapi\n${ts}\nN\n${body}\n`)
      .sign(pay.keys.state.merchant.privateKeyPem, 'base64');
    const res = await fetch(`${base}/v3/pay/transactions/jsapi`, {
      method: 'POST',
      body: JSON.stringify(JSON.parse(body), null, 1), // re-serialised: different bytes
      headers: {
        'Content-Type': 'application/json',
        Authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${merchant.mchid}",nonce_str="N",signature="${sig}",timestamp="${ts}",serial_no="${pay.keys.state.merchant.serial}"`,
      },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      code: 'SIGN_ERROR',
      detail: {
        field: 'signature',
        location: 'authorization',
        sign_information: {
          method: 'POST',
          url: '/v3/pay/transactions/jsapi',
          truncated_sign_message: expect.stringContaining(`POST\n/v3/pay/transactions/jsapi\n${ts}\nN`),
        },
      },
    });
  });

  it('serves platform certificates sealed with the APIv3 key (associated data "certificate")', async () => {
    const res = await signed('GET', '/v3/certificates');
    const { data } = (await res.json()) as {
      data: {
        serial_no: string;
        encrypt_certificate: { nonce: string; associated_data: string; ciphertext: string };
      }[];
    };
    const e = data[0].encrypt_certificate;
    const raw = Buffer.from(e.ciphertext, 'base64');
    const d = crypto.createDecipheriv('aes-256-gcm', Buffer.from(pay.merchant.apiV3Key), Buffer.from(e.nonce));
    d.setAAD(Buffer.from(e.associated_data));
    d.setAuthTag(raw.subarray(raw.length - 16));
    const pem = Buffer.concat([d.update(raw.subarray(0, raw.length - 16)), d.final()]).toString();
    expect(new crypto.X509Certificate(pem).serialNumber).toBe(data[0].serial_no);
  });

  it('serves a cashier page that checks paySign', async () => {
    const body = JSON.stringify(prepayBody({ out_trade_no: 'CMHTTP00000003' }));
    const { prepay_id } = (await (await signed('POST', '/v3/pay/transactions/jsapi', body)).json()) as {
      prepay_id: string;
    };
    const params = {
      appId: merchant.appid,
      timeStamp: '1722492232',
      nonceStr: 'abc',
      package: `prepay_id=${prepay_id}`,
    };
    const paySign = crypto
      .createSign('RSA-SHA256')
      .update(`${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`)
      .sign(pay.keys.state.merchant.privateKeyPem, 'base64');
    const good = await (
      await fetch(`${base}/sandbox/pay/cashier?${new URLSearchParams({ ...params, paySign, signType: 'RSA' })}`)
    ).text();
    expect(good).toContain('¥29.00');
    expect(good).not.toContain('paySign)');
    const bad = await (
      await fetch(`${base}/sandbox/pay/cashier?${new URLSearchParams({ ...params, paySign: 'AAAA', signType: 'RSA' })}`)
    ).text();
    expect(bad).toContain('支付验证签名失败');
  });

  it('sends the payer back to an http(s) return URL with the outcome, and nowhere else', async () => {
    const body = JSON.stringify(prepayBody({ out_trade_no: 'CMHTTP00000004' }));
    const { prepay_id } = (await (await signed('POST', '/v3/pay/transactions/jsapi', body)).json()) as {
      prepay_id: string;
    };
    const back = 'http://127.0.0.1:3000/#/pkg-order/pages/order/index?id=ord_1';
    const page = await (
      await fetch(`${base}/sandbox/pay/cashier?${new URLSearchParams({ prepay_id, redirect: back })}`)
    ).text();
    expect(page).toContain(`name="redirect" value="${back.replace(/&/g, '&#38;')}"`);
    const post = (redirect: string, action = 'abandon') =>
      fetch(`${base}/sandbox/pay/cashier`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ prepay_id, action, redirect }).toString(),
      });
    const abandoned = await post(back);
    expect(abandoned.status).toBe(302);
    expect(abandoned.headers.get('location')).toBe(`${back}&wxpay=abandon`);
    const bare = await post('https://shop.example/order');
    expect(bare.headers.get('location')).toBe('https://shop.example/order?wxpay=abandon');
    for (const unsafe of [
      'javascript:alert(1)',
      '//evil.example/x',
      '/\\evil.example',
      'data:text/html,hi',
      'ftp://x/',
    ]) {
      const res = await post(unsafe);
      expect(res.status).toBe(200);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('abandon');
    }
    const unsafePage = await (
      await fetch(`${base}/sandbox/pay/cashier?${new URLSearchParams({ prepay_id, redirect: 'javascript:alert(1)' })}`)
    ).text();
    expect(unsafePage).toContain('name="redirect" value=""');
    // Paying afterwards still works and says so.
    const paid = await post(back, 'pay');
    expect(paid.headers.get('location')).toBe(`${back}&wxpay=pay`);
    expect(pay.ledger.order('CMHTTP00000004')?.trade_state).toBe('SUCCESS');
  });
});
