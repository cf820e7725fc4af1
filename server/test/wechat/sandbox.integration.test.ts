/**
 * Server ↔ sandbox over real HTTP: the sandbox (in-process, port 0) plays WeChat and pushes
 * to the server started by the harness (real MariaDB + Redis); the server calls the sandbox's
 * API through WECHAT_API_BASE.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, type Sandbox } from '../../../sandbox/src/app';
import { createRedis } from '../../src/kernel/redis';
import { officialAccountFor } from '../../src/modules/official-account/oa.routes';
import { WechatClient } from '../../src/wechat/api/client';
import { type OfficialAccountApi } from '../../src/wechat/api/official-account';
import type { InboundMessage } from '../../src/wechat/oa/messages';
import { redisStore } from '../../src/wechat/store';
import { getJson, startStack, testConfig, type TestStack } from '../support/harness';
import { welcomeText } from '../../src/modules/official-account/oa.routes';

/** The configured welcome with the shop's current name (shop settings) in it. */
const welcome = () =>
  welcomeText(stack.config.wechat.oa.welcome, async () => (await stack.app.services.settings.get()).name);

let sandbox: Sandbox;
let sandboxServer: http.Server;
let sandboxUrl: string;
let stack: TestStack;
let api: OfficialAccountApi;
const seen: InboundMessage[] = [];

beforeAll(async () => {
  sandbox = createSandbox({
    merchantBaseUrl: 'http://127.0.0.1:1', // replaced once the server is listening
    selfBaseUrl: 'http://127.0.0.1:0',
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-oa-')),
    logLevel: 'silent',
  });
  sandboxServer = http.createServer(sandbox.app.callback());
  await new Promise<void>((r) => sandboxServer.listen(0, '127.0.0.1', r));
  sandboxUrl = `http://127.0.0.1:${(sandboxServer.address() as AddressInfo).port}`;
  stack = await startStack({ seed: false, config: testConfig({ WECHAT_API_BASE: sandboxUrl }) });
  sandbox.ctx.merchantBaseUrl = stack.baseUrl;
  const account = officialAccountFor(stack.config)!;
  account.handlers.observe((m) => seen.push(m));
  api = account.api;
});
afterAll(async () => {
  await stack.close();
  sandboxServer.closeAllConnections();
  await new Promise<void>((r) => sandboxServer.close(() => r()));
  await sandbox.close();
});

const post = (p: string, body: unknown) =>
  getJson(`${sandboxUrl}${p}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const inbox = async (openid: string) => (await getJson(`${sandboxUrl}/sandbox/oa/users/${openid}/inbox`)).body.messages;
const issued = async () =>
  (await getJson(`${sandboxUrl}/sandbox/platform/stats`)).body.tokensIssued as Record<string, number>;

describe.each(['plain', 'compat', 'safe'] as const)('%s mode', (mode) => {
  it('a follow by scanning a scene QR reaches the server as subscribe with the scene, and the welcome reaches the user', async () => {
    expect((await post('/sandbox/oa/mode', { mode })).status).toBe(200);
    const qr = await api.createQrCode('QR_STR_SCENE', `table-${mode}`, 600);
    expect(qr.ok).toBe(true);
    if (!qr.ok) return;
    const openid = `o_follow_${mode}`;
    const res = await post(`/sandbox/oa/users/${openid}/follow`, { ticket: qr.value.ticket });
    expect(res.body.pushed).toMatchObject({ mode, attempts: 1, outcome: '200', reply: { kind: 'text' } });
    expect(seen.find((m) => m.fromUserName === openid)).toMatchObject({
      msgType: 'event',
      event: 'subscribe',
      scene: `table-${mode}`,
      ticket: qr.value.ticket,
    });
    expect(await inbox(openid)).toEqual([expect.objectContaining({ via: 'reply', content: await welcome() })]);
  });
});

describe('access tokens', () => {
  it('a token expired by the sandbox is refreshed and the call succeeds once', async () => {
    await post('/sandbox/oa/mode', { mode: 'safe' });
    await post('/sandbox/oa/users/o_token_user/follow', {});
    expect((await api.followerInfo('o_token_user')).ok).toBe(true);
    const before = (await issued())[api.client.appId];
    await post('/sandbox/platform/tokens/expire', { appid: api.client.appId });
    const sent = await api.sendText('o_token_user', 'your tea is on its way');
    expect(sent.ok).toBe(true);
    expect((await issued())[api.client.appId]).toBe(before + 1);
    const customer = (await inbox('o_token_user')).filter((m: { via: string }) => m.via === 'customer');
    expect(customer).toEqual([expect.objectContaining({ content: 'your tea is on its way' })]);
  });

  it('two processes racing for a token (separate Redis connections) cause one refresh', async () => {
    const { oa } = stack.config.wechat;
    const connections = [createRedis(stack.config.redis.url, 'app'), createRedis(stack.config.redis.url, 'app')];
    await Promise.all(
      connections.map((r) => (r.status === 'ready' ? undefined : new Promise((ok) => r.once('ready', ok)))),
    );
    // Classic mode: there every extra refresh would show (and invalidate the other's token).
    const clients = connections.map(
      (r) =>
        new WechatClient({
          baseUrl: sandboxUrl,
          appId: oa.appId,
          secret: oa.secret,
          tokenMode: 'classic',
          store: redisStore(r),
        }),
    );
    await stack.redis.del(`wx:token:${oa.appId}`);
    const before = (await issued())[oa.appId];
    const tokens = await Promise.all(clients.map((c) => c.tokens.current()));
    expect(tokens[0]).toEqual(tokens[1]);
    expect(tokens[0].ok).toBe(true);
    expect((await issued())[oa.appId]).toBe(before + 1);
    expect(clients[0].tokens.refreshes + clients[1].tokens.refreshes).toBe(1);
    for (const r of connections) r.disconnect();
  });
});

describe('duplicates', () => {
  it('a push delivered twice is handled once; the second delivery gets success', async () => {
    await post('/sandbox/platform/faults', { duplicatePushes: true });
    try {
      const res = await post('/sandbox/oa/users/o_dup_user/text', { content: 'hello?' });
      expect(res.status).toBe(200);
      await post('/sandbox/oa/users/o_dup_user2/follow', {});
      const deliveries = (await getJson(`${sandboxUrl}/sandbox/oa/deliveries`)).body.deliveries;
      expect(deliveries.slice(0, 2).map((d: any) => d.reply.kind)).toEqual(['none', 'text']);
      expect(seen.filter((m) => m.fromUserName === 'o_dup_user2')).toHaveLength(1);
      expect(await inbox('o_dup_user2')).toHaveLength(1);
    } finally {
      await post('/sandbox/platform/faults', { duplicatePushes: false });
    }
  });
});

describe('the sandbox console (as its forms post)', () => {
  /** A console form's POST: form-encoded, answered with a 303 to the page showing the result. */
  const form = async (p: string, fields: Record<string, string>) => {
    const res = await fetch(`${sandboxUrl}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    return (await fetch(`${sandboxUrl}${res.headers.get('location')}`)).text();
  };

  it('a QR ticket created on the console and scanned reaches the server as subscribe with that scene', async () => {
    await post('/sandbox/oa/mode', { mode: 'safe' });
    const openid = 'o_console_qr';
    const created = await form('/sandbox/oa/qrcodes', {
      openid,
      action_name: 'QR_STR_SCENE',
      scene: 'counter-3',
      expire_seconds: '300',
    });
    const ticket = /data-ticket>([^<]+)</.exec(created)?.[1];
    expect(ticket).toBeDefined();
    const scanned = await form(`/sandbox/oa/users/${openid}/follow`, { ticket: ticket! });
    expect(scanned).toContain(`event:subscribe from ${openid}`);
    expect(seen.find((m) => m.fromUserName === openid)).toMatchObject({
      msgType: 'event',
      event: 'subscribe',
      scene: 'counter-3',
      ticket,
    });
    // The welcome the server answered with is on the page and in the user's chat.
    expect(scanned).toContain(await welcome());
    expect(await inbox(openid)).toEqual([expect.objectContaining({ via: 'reply', content: await welcome() })]);
  });
});
