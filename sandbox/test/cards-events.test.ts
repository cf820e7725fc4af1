/**
 * Card events as WeChat sends them (WECHAT-MARKETING.md §8, §9): user_get_card and
 * user_del_card are pushed to the merchant's official-account URL like any event, three tries
 * in all when the merchant fails, once when it answers `success`; `card/membercard/updateuser`
 * can be made to fail for its first N calls (platform faults) and then applies absolute values.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, type Sandbox } from '../src/app';
import { loadApps } from '../src/platform/apps';

const apps = loadApps();
let sandbox: Sandbox;
let server: http.Server;
let merchant: http.Server;
let base: string;
/** What the merchant answers next, and the pushes it received (bodies, maybe encrypted). */
let answer = 500;
const seen: string[] = [];

beforeAll(async () => {
  merchant = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push(body);
      res.statusCode = answer;
      res.end(answer === 200 ? 'success' : 'error');
    });
  });
  await new Promise<void>((r) => merchant.listen(0, '127.0.0.1', r));
  sandbox = createSandbox({
    merchantBaseUrl: `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`,
    selfBaseUrl: 'http://127.0.0.1:0',
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-cards-')),
    logLevel: 'silent',
  });
  server = http.createServer(sandbox.app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of [server, merchant]) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  await sandbox.close();
});

const call = async (p: string, body?: unknown) => {
  const res = await fetch(`${base}${p}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};
const until = async <T>(fn: () => Promise<T>, ok: (v: T) => boolean) => {
  for (let i = 0; i < 100; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  return fn();
};
const deliveriesOf = async (event: string) =>
  ((await call('/sandbox/oa/deliveries')).body.deliveries as { summary: string; attempts: number }[]).filter((d) =>
    d.summary.startsWith(`event:${event}`),
  );

it('a card event the merchant fails is tried three times in all; one it answers, once', async () => {
  const token = (
    await call(`/cgi-bin/token?grant_type=client_credential&appid=${apps.oa.appId}&secret=${apps.oa.secret}`)
  ).body.access_token;
  const made = await call(`/card/create?access_token=${token}`, {
    card: {
      card_type: 'MEMBER_CARD',
      member_card: { base_info: { title: '会员卡', brand_name: 'x', code_type: 'CODE_TYPE_QRCODE' } },
    },
  });
  expect(made.body.errcode).toBe(0);
  await until(
    () => deliveriesOf('card_pass_check'),
    (d) => d.length > 0,
  );
  answer = 500;
  seen.length = 0;
  const got = await call('/sandbox/cards/users/oCardA/get', { cardId: made.body.card_id, outerStr: '1234567890' });
  const failed = await until(
    () => deliveriesOf('user_get_card'),
    (d) => d.length > 0,
  );
  expect(failed[0].attempts).toBe(3);
  expect(seen).toHaveLength(3);

  answer = 200;
  seen.length = 0;
  expect((await call('/sandbox/cards/users/oCardA/delete', {})).status).toBe(200);
  const ok = await until(
    () => deliveriesOf('user_del_card'),
    (d) => d.length > 0,
  );
  expect(ok[0].attempts).toBe(1);
  expect(seen).toHaveLength(1);

  // updateuser failing for its first two calls, then setting absolute values.
  await call('/sandbox/platform/faults', { path: '/card/membercard/updateuser', errcode: -1, times: 2 });
  const update = () =>
    call(`/card/membercard/updateuser?access_token=${token}`, {
      card_id: made.body.card_id,
      code: got.body.code,
      bonus: 120,
      balance: 3000,
      record_bonus: '消费获得积分',
    });
  expect((await update()).body.errcode).toBe(-1);
  expect((await update()).body.errcode).toBe(-1);
  const third = await update();
  expect(third.body).toMatchObject({ errcode: 0, result_bonus: 120, result_balance: 3000 });
  expect((await update()).body).toMatchObject({ result_bonus: 120, result_balance: 3000 }); // a repeat changes nothing
});
