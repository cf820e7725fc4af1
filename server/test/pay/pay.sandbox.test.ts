/**
 * Server ↔ sandbox over real HTTP: the Pay client against the sandbox's Pay surface, and the
 * sandbox's notifications against the server's /api/pay/notify, in all three signing modes.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, type Sandbox } from '../../../sandbox/src/app';
import { compose } from '../../src/main/compose';
import { ResponseVerificationError, WechatPayApiError } from '../../src/wechat/pay/errors';
import type { PayNotification } from '../../src/wechat/pay/notification';
import { fetchHttp, type HttpRequest, type HttpResponse } from '../../src/wechat/pay/http';
import { WechatPay } from '../../src/wechat/pay/wechat-pay';
import { startStack, testConfig, type TestStack } from '../support/harness';

let sandbox: Sandbox;
let sandboxServer: http.Server;
let sandboxUrl: string;
let stack: TestStack;
let server: http.Server;
let wechatPay: WechatPay;
let keyDir: string;
const received: PayNotification[] = [];
let failNextNotifications = 0;
/** Every request the client sent and the raw response it got, as on the wire. */
const wire: { req: HttpRequest; res: HttpResponse }[] = [];

const listen = async (handler: http.RequestListener) => {
  const s = http.createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { server: s, url: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
};

beforeAll(async () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-pay-'));
  keyDir = path.join(stateDir, 'pay');
  let appCallback: http.RequestListener = (_req, res) => res.end();
  const api = await listen((req, res) => appCallback(req, res));
  server = api.server;
  sandbox = createSandbox({
    merchantBaseUrl: api.url,
    selfBaseUrl: 'http://127.0.0.1:0',
    stateDir,
    timeScale: 1000, // 15 s between retries becomes 15 ms
    logLevel: 'silent',
  });
  ({ server: sandboxServer, url: sandboxUrl } = await listen(sandbox.app.callback()));
  const config = testConfig({
    WECHATPAY_API_BASE: sandboxUrl,
    WECHATPAY_MERCHANT_SERIAL: `file:${keyDir}/merchant-serial.txt`,
    WECHATPAY_MERCHANT_PRIVATE_KEY: `file:${keyDir}/merchant-key.pem`,
    WECHATPAY_PUBLIC_KEY_ID: `file:${keyDir}/wechatpay-public-key-id.txt`,
    WECHATPAY_PUBLIC_KEY: `file:${keyDir}/wechatpay-public-key.pem`,
    WECHATPAY_NOTIFY_URL: `${api.url}/api/pay/notify`,
  });
  stack = await startStack({ seed: false, config });
  const http = fetchHttp();
  wechatPay = new WechatPay(config.wechatPay, {
    certificateRefreshIntervalMs: 0,
    http: async (req) => {
      const res = await http(req);
      wire.push({ req, res });
      return res;
    },
  });
  const { app } = compose({
    ...stack,
    wechatPay,
    payNotifications: {
      async handle(n) {
        if (failNextNotifications > 0) {
          failNextNotifications -= 1;
          throw new Error('the database is restarting');
        }
        received.push(n);
      },
    },
  });
  appCallback = app.callback();
});

afterAll(async () => {
  await sandbox.close();
  for (const s of [server, sandboxServer]) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  await stack.close();
});

beforeEach(async () => {
  received.length = 0;
  failNextNotifications = 0;
  await settings({
    signMode: 'cert',
    fault: 'none',
    faultCount: 0,
    duplicateDeliveries: false,
    signtestProbes: false,
    corruptResponseSignatures: false,
    responseClockOffsetSeconds: 0,
    refundOutcome: 'SUCCESS',
  });
});

async function settings(patch: Record<string, unknown>) {
  const res = await fetch(`${sandboxUrl}/sandbox/pay/settings`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(patch),
  });
  expect(res.status).toBe(200);
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let seq = 0;
const outTradeNo = () => `CM${Date.now()}${String(++seq).padStart(4, '0')}`;
const prepay = (no = outTradeNo(), total = 3900) =>
  wechatPay.client.prepayJsapi({ description: '凤凰单丛 100g', out_trade_no: no, total, payerOpenid: 'o_buyer_1' });
const simulate = (prepayId: string, action: 'pay' | 'fail' | 'abandon' | 'start') =>
  fetch(`${sandboxUrl}/sandbox/pay/prepay/${prepayId}/${action}`, { method: 'POST' });

async function paidOrder(total = 3900) {
  const no = outTradeNo();
  const { prepayId } = await prepay(no, total);
  expect((await simulate(prepayId, 'pay')).status).toBe(200);
  const n = await until('TRANSACTION.SUCCESS', () =>
    received.find((r) => r.kind === 'payment' && r.transaction.out_trade_no === no),
  );
  return { no, notification: n as Extract<PayNotification, { kind: 'payment' }> };
}

describe('paying an order', () => {
  it('prepay → simulated pay → a verified TRANSACTION.SUCCESS reaches the server, and the query agrees', async () => {
    const no = outTradeNo();
    const { prepayId, requestPayment } = await prepay(no);
    expect(prepayId).toMatch(/^wx\d{14}[0-9a-f]{20}$/);

    // wx.requestPayment parameters, checked independently with the merchant's public key.
    const merchantPublic = crypto.createPublicKey(fs.readFileSync(path.join(keyDir, 'merchant-key.pem')));
    const message = `${requestPayment.appId}\n${requestPayment.timeStamp}\n${requestPayment.nonceStr}\n${requestPayment.package}\n`;
    expect(
      crypto.verify('sha256', Buffer.from(message), merchantPublic, Buffer.from(requestPayment.paySign, 'base64')),
    ).toBe(true);
    // The Authorization header covers exactly the bytes that went on the wire (checked with node:crypto).
    const sent = wire.filter((w) => w.req.url.endsWith('/v3/pay/transactions/jsapi')).pop()!.req;
    const auth = Object.fromEntries(
      [...sent.headers.Authorization.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    const signed = `POST\n/v3/pay/transactions/jsapi\n${auth.timestamp}\n${auth.nonce_str}\n${sent.body}\n`;
    expect(sent.headers.Authorization.startsWith('WECHATPAY2-SHA256-RSA2048 ')).toBe(true);
    expect(crypto.verify('sha256', Buffer.from(signed), merchantPublic, Buffer.from(auth.signature, 'base64'))).toBe(
      true,
    );
    expect(JSON.parse(sent.body!)).toMatchObject({ out_trade_no: no, amount: { total: 3900, currency: 'CNY' } });

    expect(requestPayment).toMatchObject({
      appId: stack.config.wechatPay.appid,
      package: `prepay_id=${prepayId}`,
      signType: 'RSA',
    });

    expect((await wechatPay.client.queryByOutTradeNo(no)).trade_state).toBe('NOTPAY');
    expect((await simulate(prepayId, 'pay')).status).toBe(200);
    const n = await until('the payment notification', () => received.find((r) => r.kind === 'payment'));
    expect(n).toMatchObject({
      kind: 'payment',
      eventType: 'TRANSACTION.SUCCESS',
      transaction: { out_trade_no: no, trade_state: 'SUCCESS', amount: { total: 3900, payer_total: 3900 } },
    });
    const tx = (n as Extract<PayNotification, { kind: 'payment' }>).transaction;
    const byNo = await wechatPay.client.queryByOutTradeNo(no);
    const byId = await wechatPay.client.queryByTransactionId(tx.transaction_id!);
    for (const q of [byNo, byId]) {
      expect(q).toMatchObject({ trade_state: 'SUCCESS', transaction_id: tx.transaction_id, out_trade_no: no });
    }
  });

  it('re-posting the same parameters before expiry gives a fresh prepay_id; different ones get OUT_TRADE_NO_USED', async () => {
    const no = outTradeNo();
    const first = await prepay(no);
    const again = await prepay(no);
    expect(again.prepayId).not.toBe(first.prepayId);
    await expect(prepay(no, 4000)).rejects.toMatchObject({ status: 403, code: 'OUT_TRADE_NO_USED' });
  });

  it('a failed payment leaves PAYERROR and no notification', async () => {
    const no = outTradeNo();
    const { prepayId } = await prepay(no);
    await simulate(prepayId, 'fail');
    expect((await wechatPay.client.queryByOutTradeNo(no)).trade_state).toBe('PAYERROR');
    expect(received).toHaveLength(0);
  });
});

describe('closing and refunding', () => {
  it('closes an unpaid order (204) and refuses to close a paid one with ORDERPAID', async () => {
    const no = outTradeNo();
    await prepay(no);
    await expect(wechatPay.client.close(no)).resolves.toBeUndefined();
    const closeCall = wire[wire.length - 1];
    expect(closeCall.req.url).toMatch(new RegExp(`/v3/pay/transactions/out-trade-no/${no}/close$`));
    expect(closeCall.res.status).toBe(204);
    expect(closeCall.res.body).toHaveLength(0);
    expect((await wechatPay.client.queryByOutTradeNo(no)).trade_state).toBe('CLOSED');
    const paid = await paidOrder();
    await expect(wechatPay.client.close(paid.no)).rejects.toMatchObject({ status: 403, code: 'ORDERPAID' });
  });

  it('refunds end to end: PROCESSING, then a REFUND.SUCCESS notification, then the query says SUCCESS', async () => {
    const { no } = await paidOrder(3900);
    const refund = await wechatPay.client.refund({
      out_trade_no: no,
      out_refund_no: `RF${no}`,
      refund: 1000,
      total: 3900,
    });
    expect(refund).toMatchObject({ status: 'PROCESSING', amount: { refund: 1000, total: 3900 } });
    const n = await until('the refund notification', () => received.find((r) => r.kind === 'refund'));
    expect(n).toMatchObject({
      eventType: 'REFUND.SUCCESS',
      refund: { out_refund_no: `RF${no}`, refund_status: 'SUCCESS' },
    });
    expect((await wechatPay.client.queryRefund(`RF${no}`)).status).toBe('SUCCESS');
    expect((await wechatPay.client.queryByOutTradeNo(no)).trade_state).toBe('REFUND');
  });

  it('a closed refund is notified with refund_status CLOSE while the refund API says CLOSED', async () => {
    await settings({ refundOutcome: 'CLOSED' });
    const { no } = await paidOrder();
    await wechatPay.client.refund({ out_trade_no: no, out_refund_no: `RF${no}`, refund: 3900, total: 3900 });
    const n = await until('the refund notification', () => received.find((r) => r.kind === 'refund'));
    expect(n).toMatchObject({ eventType: 'REFUND.CLOSED', refund: { refund_status: 'CLOSE' } });
    expect((await wechatPay.client.queryRefund(`RF${no}`)).status).toBe('CLOSED');
  });
});

describe('signing modes', () => {
  it.each(['cert', 'pubkey'])('notifications signed in %s mode verify', async (signMode) => {
    await settings({ signMode });
    const { notification } = await paidOrder();
    expect(notification.transaction.trade_state).toBe('SUCCESS');
  });

  it('in mixed mode (migration) notifications signed by either key verify', async () => {
    await settings({ signMode: 'mixed', mixedPublicKeyShare: 0.5 });
    const kinds = new Set<boolean>();
    for (let i = 0; i < 30 && kinds.size < 2; i++) {
      const { no } = await paidOrder();
      const log = (await (await fetch(`${sandboxUrl}/sandbox/pay/notifications`)).json()) as { serial: string }[];
      kinds.add(log[log.length - 1].serial.startsWith('PUB_KEY_ID_'));
      expect(received.some((r) => r.kind === 'payment' && r.transaction.out_trade_no === no)).toBe(true);
    }
    expect(kinds).toEqual(new Set([true, false])); // both a certificate and the public key signed, and both verified
  });

  it('a certificate-only merchant (no public key configured) bootstraps platform certificates on its first call', async () => {
    const certOnly = new WechatPay({ ...stack.config.wechatPay, publicKeyId: '', publicKey: '' }, {});
    expect(certOnly.client.keyring.serials()).toEqual([]);
    const { no } = await paidOrder();
    expect((await certOnly.client.queryByOutTradeNo(no)).trade_state).toBe('SUCCESS');
    expect(certOnly.client.keyring.certificateSerials().length).toBeGreaterThan(0);
  });

  it('picks up a rotated platform certificate without a restart (downloaded, encrypt_certificate decrypted)', async () => {
    await paidOrder(); // the current certificate is known
    const rotated = (await (
      await fetch(`${sandboxUrl}/sandbox/pay/rotate-certificate`, { method: 'POST' })
    ).json()) as {
      serial: string;
    };
    expect(wechatPay.client.keyring.has(rotated.serial)).toBe(false);
    await paidOrder();
    expect(wechatPay.client.keyring.has(rotated.serial)).toBe(true);
  });
});

describe('notification delivery', () => {
  it('retries on WeChat’s schedule until the server answers 2xx', async () => {
    failNextNotifications = 2;
    const { no } = await paidOrder();
    const log = (await (await fetch(`${sandboxUrl}/sandbox/pay/notifications`)).json()) as {
      eventType: string;
      state: string;
      attempts: { status: number; kind: string }[];
    }[];
    const d = log[log.length - 1];
    expect(d.state).toBe('delivered');
    expect(d.attempts.map((a) => a.status)).toEqual([500, 500, 204]);
    expect(received.filter((r) => r.kind === 'payment' && r.transaction.out_trade_no === no)).toHaveLength(1);
  });

  it('SIGNTEST probes are refused and duplicate deliveries arrive twice (the handler must be idempotent)', async () => {
    await settings({ signtestProbes: true, duplicateDeliveries: true });
    const { no } = await paidOrder();
    await until('the duplicate', () =>
      received.filter((r) => r.kind === 'payment' && r.transaction.out_trade_no === no).length === 2 ? true : undefined,
    );
    const log = (await (await fetch(`${sandboxUrl}/sandbox/pay/notifications`)).json()) as {
      attempts: { status: number; kind: string }[];
    }[];
    const probe = log[log.length - 1].attempts.find((a) => a.kind === 'signtest');
    expect(probe?.status).toBe(401);
  });
});

describe('signatures between the client and WeChat Pay', () => {
  it('a merchant request with a wrong signature gets 401 SIGN_ERROR with truncated_sign_message', async () => {
    const otherKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const serial = fs.readFileSync(path.join(keyDir, 'merchant-serial.txt'), 'utf8').trim();
    const ts = String(Math.floor(Date.now() / 1000));
    const url = `/v3/pay/transactions/out-trade-no/NOPE123456?mchid=${stack.config.wechatPay.mchid}`;
    const sig = crypto.sign('sha256', Buffer.from(`GET\n${url}\n${ts}\nN1\n\n`), otherKey).toString('base64');
    const res = await fetch(`${sandboxUrl}${url}`, {
      headers: {
        Accept: 'application/json',
        Authorization: `WECHATPAY2-SHA256-RSA2048 mchid="${stack.config.wechatPay.mchid}",nonce_str="N1",signature="${sig}",timestamp="${ts}",serial_no="${serial}"`,
      },
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as {
      code: string;
      detail: { sign_information: { truncated_sign_message: string } };
    };
    expect(body.code).toBe('SIGN_ERROR');
    expect(body.detail.sign_information.truncated_sign_message).toContain(`GET\n${url}\n${ts}`);
  });

  it('the client sees SIGN_ERROR as a verified 401 when its key is wrong', async () => {
    const wrong = new WechatPay(
      {
        ...stack.config.wechatPay,
        merchantPrivateKey: crypto
          .generateKeyPairSync('rsa', { modulusLength: 2048 })
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
      },
      {},
    );
    await expect(wrong.client.queryByOutTradeNo('NOPE123456')).rejects.toMatchObject({
      status: 401,
      code: 'SIGN_ERROR',
    });
  });

  it('rejects a response whose signature does not match its body', async () => {
    const { no } = await paidOrder();
    await settings({ corruptResponseSignatures: true });
    const err = await wechatPay.client.queryByOutTradeNo(no).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseVerificationError);
    expect((err as ResponseVerificationError).reason).toMatch(/BAD_SIGNATURE/);
  });

  it('rejects a response timestamped 301 s off', async () => {
    const { no } = await paidOrder();
    await settings({ responseClockOffsetSeconds: 301 });
    await expect(wechatPay.client.queryByOutTradeNo(no)).rejects.toBeInstanceOf(ResponseVerificationError);
  });

  it('reports SYSTEM_ERROR (500) and FREQUENCY_LIMITED (429) from verified responses', async () => {
    await settings({ fault: 'SYSTEM_ERROR', faultCount: 1 });
    await expect(prepay()).rejects.toMatchObject({ status: 500, code: 'SYSTEM_ERROR' });
    await settings({ fault: 'FREQUENCY_LIMITED', faultCount: 1 });
    const err = await prepay().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatPayApiError);
    expect(err).toMatchObject({ status: 429, code: 'FREQUENCY_LIMITED' });
    await expect(prepay()).resolves.toMatchObject({ prepayId: expect.any(String) });
  });
});
