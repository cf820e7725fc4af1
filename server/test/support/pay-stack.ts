/**
 * The whole payment path for tests: the sandbox (in-process) playing WeChat and WeChat Pay,
 * the API with its real notification handler over MariaDB and Redis, and an in-process
 * outbox relay and events worker whose side effects are counted.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Queue } from 'bullmq';
import { createSandbox, type Sandbox } from '../../../sandbox/src/app';
import type { OutboxEvent } from '../../src/kernel/outbox';
import type { Composition } from '../../src/main/compose';
import { startJobs } from '../../src/main/jobs';
import { WechatPay } from '../../src/wechat/pay/wechat-pay';
import { startStack, testConfig, type TestStack } from './harness';
import { api as callApi, type TestBuyer } from './people';

export interface PayStack {
  stack: TestStack;
  app: Composition;
  sandbox: Sandbox;
  sandboxUrl: string;
  apiUrl: string;
  /** Each run of the test's own `order.paid` subscriber ('hooks'), by order number. */
  paidHookRuns: OutboxEvent[];
  events: Queue;
  buyer: TestBuyer & { openid: string };
  sandboxCall(method: string, p: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

const listen = async (handler: http.RequestListener) => {
  const s = http.createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { server: s, url: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
};

export async function startPayStack(opts: { timeScale?: number } = {}): Promise<PayStack> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-payments-'));
  const keyDir = path.join(stateDir, 'pay');
  let appCallback: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const api = await listen((req, res) => appCallback(req, res));
  const sandbox = createSandbox({
    merchantBaseUrl: api.url,
    selfBaseUrl: 'http://127.0.0.1:0',
    stateDir,
    timeScale: opts.timeScale ?? 1000,
    logLevel: 'silent',
  });
  const sb = await listen(sandbox.app.callback());
  const config = testConfig({
    WECHAT_API_BASE: sb.url,
    WECHATPAY_API_BASE: sb.url,
    WECHATPAY_MERCHANT_SERIAL: `file:${keyDir}/merchant-serial.txt`,
    WECHATPAY_MERCHANT_PRIVATE_KEY: `file:${keyDir}/merchant-key.pem`,
    WECHATPAY_PUBLIC_KEY_ID: `file:${keyDir}/wechatpay-public-key-id.txt`,
    WECHATPAY_PUBLIC_KEY: `file:${keyDir}/wechatpay-public-key.pem`,
    WECHATPAY_NOTIFY_URL: `${api.url}/api/pay/notify`,
  });
  const wechatPay = new WechatPay(config.wechatPay, { certificateRefreshIntervalMs: 0 });
  const stack = await startStack({ config, compose: { wechatPay } });
  const app = stack.app;
  appCallback = app.app.callback();

  // Stands for the subscribers later modules add (points, coupons): counts its runs.
  const paidHookRuns: OutboxEvent[] = [];
  app.subscribers.on('order.paid', 'hooks', async (_payload, e) => void paidHookRuns.push(e));
  // The worker's events queue and relay, as the worker process runs them; the other
  // queues' jobs (reconciliation, closes) are called directly by the tests.
  const jobs = await startJobs(app, { only: ['events'], relayIdleMs: 50, eventConcurrency: 4 });
  const events = app.kernel.queue('events');

  const sandboxCall = (method: string, p: string, body?: unknown) => callApi(sb.url, method, p, {}, body);

  // The buyer signs in through the sandbox, as in the mini-program, so WeChat knows them.
  const openid = `oPayer${Date.now().toString(36)}`;
  const { code } = (await sandboxCall('POST', `/sandbox/mp/users/${openid}/login`, {})).body as { code: string };
  const login = await callApi(stack.baseUrl, 'POST', '/api/auth/login', {}, { code });
  const auth = { authorization: `Bearer ${login.body.accessToken as string}` };
  const address = await callApi(stack.baseUrl, 'POST', '/api/addresses', auth, {
    recipient: '王五',
    phone: '13900139000',
    province: '广东省',
    city: '深圳市',
    district: '南山区',
    detail: '科技园 8 号',
  });
  const base: TestBuyer = { id: login.body.buyer.id, token: login.body.accessToken, addressId: address.body.id, auth };

  return {
    stack,
    app,
    sandbox,
    sandboxUrl: sb.url,
    apiUrl: api.url,
    paidHookRuns,
    events,
    buyer: { ...base, openid },
    sandboxCall,
    async close() {
      await jobs.stop();
      await sandbox.close();
      for (const s of [api.server, sb.server]) {
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
      await stack.close();
    },
  };
}

export async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await fn();
  while (!ok(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    v = await fn();
  }
  return v;
}
