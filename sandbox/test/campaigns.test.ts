/**
 * The sandbox's push channels as a campaign meets them: template sends with their daily quota
 * on a time-scaled day, client_msg_id de-duplication and the TEMPLATESENDJOBFINISH receipt
 * pushed to the merchant; mass sends with the four-a-month filter and MASSSENDJOBFINISH
 * counts; bulk followers, their inboxes, 5xx injection and the fast accept path.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, type Sandbox } from '../src/app';
import { loadApps } from '../src/platform/apps';
import { xmlField } from '../src/oa/push';

const apps = loadApps();
let sandbox: Sandbox;
let server: http.Server;
let merchant: http.Server;
let base: string;
const pushes: string[] = [];

beforeAll(async () => {
  merchant = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      pushes.push(body);
      res.end('success');
    });
  });
  await new Promise<void>((r) => merchant.listen(0, '127.0.0.1', r));
  sandbox = createSandbox({
    merchantBaseUrl: `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`,
    selfBaseUrl: 'http://127.0.0.1:0',
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-campaigns-')),
    logLevel: 'silent',
  });
  server = http.createServer(sandbox.app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await call('/sandbox/oa/mode', { mode: 'plain' });
});
afterAll(async () => {
  for (const s of [server, merchant]) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  await sandbox.close();
});

const call = async (p: string, body?: unknown): Promise<Record<string, any>> => {
  const res = await fetch(`${base}${p}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  try {
    return { status: res.status, ...(JSON.parse(text) as Record<string, any>) };
  } catch {
    return { status: res.status, text };
  }
};
let token = '';
const send = (p: string, body: unknown) => call(`${p}?access_token=${token}`, body);
const template = (touser: string, extra: object = {}) =>
  send('/cgi-bin/message/template/send', {
    touser,
    template_id: 'TPL_CAMPAIGN_NOTICE',
    miniprogram: { appid: apps.mp.appId, pagepath: 'pages/index/index?cmp=c1' },
    data: { thing1: { value: '新品上架，本周会员九折优惠活动开始啦快来看看' }, first: { value: '不显示' } },
    ...extra,
  });
const until = async <T>(read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  token = (
    await call('/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: apps.oa.appId,
      secret: apps.oa.secret,
    })
  ).access_token as string;
  await call('/sandbox/oa/followers/bulk', { prefix: 'o_cmp_', count: 20, tags: [101] });
});

it('a template send reaches the follower once per client_msg_id, shows 20 characters a field, and its receipt is pushed', async () => {
  const first = await template('o_cmp_0000001', { client_msg_id: 'c1-o_cmp_0000001' });
  expect(first).toMatchObject({ errcode: 0, errmsg: 'ok' });
  const again = await template('o_cmp_0000001', { client_msg_id: 'c1-o_cmp_0000001' });
  expect(again.msgid).toBe(first.msgid);
  const inbox = await call('/sandbox/oa/campaigns/inbox/o_cmp_0000001');
  expect(inbox.messages).toHaveLength(1);
  expect(inbox.messages[0]).toMatchObject({ via: 'template' });
  expect(inbox.messages[0].content).toBe(
    'thing1: 新品上架，本周会员九折优惠活动开始啦快来\n→ pages/index/index?cmp=c1',
  );
  const pushed = await until(
    () => pushes.filter((x) => xmlField(x, 'Event') === 'TEMPLATESENDJOBFINISH'),
    (l) => l.length >= 1,
  );
  expect(xmlField(pushed[0], 'MsgID')).toBe(String(first.msgid));
  expect(xmlField(pushed[0], 'Status')).toBe('success');
  expect(xmlField(pushed[0], 'FromUserName')).toBe('o_cmp_0000001');
});

it('template sends: 40003 unknown openid, 43004 not following, 40037 unknown template', async () => {
  expect((await template('o_nobody')).errcode).toBe(40003);
  await call('/sandbox/oa/users/o_gone/follow', {});
  await call('/sandbox/oa/users/o_gone/unfollow', {});
  expect((await template('o_gone')).errcode).toBe(43004);
  expect((await template('o_cmp_0000002', { template_id: 'TPL_NOPE' })).errcode).toBe(40037);
});

it('the daily template quota answers 45009 when spent and resets on the next (time-scaled) China day', async () => {
  const used = (await call('/sandbox/oa/campaigns/stats')).quota.used as number;
  await call('/sandbox/platform/faults', { templateDailyQuota: used + 3 });
  const codes: number[] = [];
  for (let i = 3; i < 7; i++) codes.push((await template(`o_cmp_000000${i}`)).errcode as number);
  expect(codes).toEqual([0, 0, 0, 45009]);
  // A day of 400 ms: the next China midnight comes within the test and the quota is whole again.
  await call('/sandbox/oa/campaigns/settings', { dayMs: 400 });
  await new Promise((r) => setTimeout(r, 450));
  expect((await template('o_cmp_0000008')).errcode).toBe(0);
});

afterEach(async () => {
  await call('/sandbox/platform/faults', { templateDailyQuota: 100000 });
  await call('/sandbox/oa/campaigns/settings', { dayMs: 86_400_000 });
});

it('mass sends: a follower gets at most 4 a month (filtered, no error), MASSSENDJOBFINISH carries the counts', async () => {
  pushes.length = 0;
  const ids = ['o_cmp_0000012', 'o_cmp_0000013'];
  for (let i = 0; i < 5; i++) {
    const r = await send('/cgi-bin/message/mass/send', {
      touser: ids,
      msgtype: 'text',
      text: { content: `第${i + 1}次` },
    });
    expect(r.errcode).toBe(0);
  }
  for (const id of ids) {
    const inbox = await call(`/sandbox/oa/campaigns/inbox/${id}`);
    expect(inbox.messages.filter((m: { via: string }) => m.via === 'mass')).toHaveLength(4);
  }
  const finished = await until(
    () => pushes.filter((x) => xmlField(x, 'Event') === 'MASSSENDJOBFINISH'),
    (l) => l.length === 5,
  );
  const counts = finished.map((x) => [xmlField(x, 'TotalCount'), xmlField(x, 'SentCount')].join('/')).sort();
  expect(counts).toEqual(['2/0', '2/2', '2/2', '2/2', '2/2']);
  expect(
    (await send('/cgi-bin/message/mass/send', { touser: ['o_cmp_0000012'], msgtype: 'text', text: { content: 'x' } }))
      .errcode,
  ).toBe(40130);
});

it('mass sendall by tag reaches the tagged followers; a repeated clientmsgid answers 45065 with the first msg_id', async () => {
  const first = await send('/cgi-bin/message/mass/sendall', {
    filter: { is_to_all: false, tag_id: 101 },
    msgtype: 'text',
    text: { content: '标签群发' },
    clientmsgid: 'cmp-tag-1',
  });
  expect(first.errcode).toBe(0);
  const again = await send('/cgi-bin/message/mass/sendall', {
    filter: { is_to_all: false, tag_id: 101 },
    msgtype: 'text',
    text: { content: '标签群发' },
    clientmsgid: 'cmp-tag-1',
  });
  expect(again).toMatchObject({ errcode: 45065, msg_id: first.msg_id });
  const received = await call('/sandbox/oa/campaigns/received?prefix=o_cmp_00000&via=mass');
  // 20 tagged followers; the two of the previous test already had their four this month.
  expect(received.recipients).toBe(20);
  expect(received.messages).toBe(8 + 18);
});

it('injected 5xx answers the next call with a gateway error; the fast path accepts without touching an inbox', async () => {
  await call('/sandbox/oa/campaigns/faults', { path: '/cgi-bin/message/template/send', kind: '5xx', times: 1 });
  expect((await template('o_cmp_0000014')).status).toBe(502);
  expect((await template('o_cmp_0000014')).errcode).toBe(0);
  await call('/sandbox/oa/campaigns/settings', { fastAccept: true });
  const before = (await call('/sandbox/oa/campaigns/stats')).fastAccepted as number;
  expect((await template('o_not_a_follower')).errcode).toBe(0);
  expect((await call('/sandbox/oa/campaigns/stats')).fastAccepted).toBe(before + 1);
  expect((await call('/sandbox/oa/campaigns/inbox/o_not_a_follower')).messages).toEqual([]);
  await call('/sandbox/oa/campaigns/settings', { fastAccept: false });
});

it('holds 100,000 bulk followers', async () => {
  const r = await call('/sandbox/oa/followers/bulk', { prefix: 'o_many_', count: 100_000 });
  expect(r).toMatchObject({ created: 100_000 });
  expect((await template('o_many_0099999')).errcode).toBe(0);
});
