/**
 * Acceptance 8: keyword rules answer the simulated user in all three push modes (plain,
 * compatible, safe), and a rule that cannot answer within WeChat's 5 seconds still answers
 * `success` in time, its reply following as a customer-service message. The sandbox plays
 * WeChat in-process; the server runs on the real MariaDB and Redis.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, type Sandbox } from '../../sandbox/src/app';
import { getJson, startStack, testConfig, type TestStack } from './support/harness';
import { api, makeStaff } from './support/people';

let sandbox: Sandbox;
let sandboxServer: http.Server;
let sb: string;
let stack: TestStack;
let marketer: { auth: Record<string, string> };

beforeAll(async () => {
  sandbox = createSandbox({
    merchantBaseUrl: 'http://127.0.0.1:1',
    selfBaseUrl: 'http://127.0.0.1:0',
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-autoreply-')),
    logLevel: 'silent',
  });
  sandboxServer = http.createServer(sandbox.app.callback());
  await new Promise<void>((r) => sandboxServer.listen(0, '127.0.0.1', r));
  sb = `http://127.0.0.1:${(sandboxServer.address() as AddressInfo).port}`;
  stack = await startStack({ seed: false, config: testConfig({ WECHAT_API_BASE: sb }) });
  sandbox.ctx.merchantBaseUrl = stack.baseUrl;
  marketer = await makeStaff(stack.db, 'marketer');
}, 60_000);
afterAll(async () => {
  await post('/sandbox/platform/faults', { latencyMs: 0 });
  await stack.close();
  sandboxServer.closeAllConnections();
  await new Promise<void>((r) => sandboxServer.close(() => r()));
  await sandbox.close();
});

async function post(p: string, body: unknown) {
  return getJson(`${sb}${p}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
const inbox = async (openid: string) =>
  (await getJson(`${sb}/sandbox/oa/users/${openid}/inbox`)).body.messages as { via: string; content: string }[];

const HOURS = '营业时间：每天 10:00–22:00';

describe('keyword rules', () => {
  beforeAll(async () => {
    const rules = [
      { name: '营业时间', match: 'contains', pattern: '营业', priority: 100, reply: { type: 'text', text: HOURS } },
      {
        name: '价格',
        match: 'regex',
        pattern: '^(价格|多少钱)\\??$',
        priority: 50,
        reply: { type: 'text', text: '价格见小程序' },
      },
      { name: '你好', match: 'exact', pattern: 'hi', priority: 10, reply: { type: 'text', text: '您好！' } },
      // Lower priority than 营业时间: a message matching both gets 营业时间's answer.
      { name: '时间', match: 'contains', pattern: '时间', priority: 1, reply: { type: 'text', text: 'never first' } },
    ];
    for (const r of rules)
      expect((await api(stack.baseUrl, 'POST', '/api/admin/auto-replies/rules', marketer.auth, r)).status).toBe(200);
  });

  it.each(['plain', 'compat', 'safe'] as const)(
    '%s mode: the highest-priority matching rule’s text reaches the simulated user, and both sides land in the inbox',
    async (mode) => {
      expect((await post('/sandbox/oa/mode', { mode })).status).toBe(200);
      const openid = `o_kw_${mode}`;
      await post(`/sandbox/oa/users/${openid}/follow`, {});
      const res = await post(`/sandbox/oa/users/${openid}/text`, { content: '请问营业时间？' });
      expect(res.body.pushed).toMatchObject({
        mode,
        attempts: 1,
        outcome: '200',
        reply: { kind: 'text', content: HOURS },
      });
      await post(`/sandbox/oa/users/${openid}/text`, { content: '多少钱?' });
      await post(`/sandbox/oa/users/${openid}/text`, { content: 'HI' });
      await post(`/sandbox/oa/users/${openid}/text`, { content: 'hi there' }); // exact: no match, no default set
      const replies = (await inbox(openid)).filter((m) => m.via === 'reply').map((m) => m.content);
      expect(replies).toContain(HOURS);
      expect(replies).toContain('价格见小程序');
      expect(replies).toContain('您好！');
      expect(replies).not.toContain('never first');
      const conv = await api(stack.baseUrl, 'GET', `/api/admin/inbox/${openid}`, marketer.auth);
      expect(conv.status).toBe(200);
      const lines = (conv.body.messages as { direction: string; content: string }[]).map(
        (m) => `${m.direction}:${m.content}`,
      );
      expect(lines).toEqual(expect.arrayContaining(['in:请问营业时间？', `out:${HOURS}`, 'in:hi there']));
      expect(lines.filter((l) => l === 'out:never first')).toHaveLength(0);
    },
  );

  it('a rule that misses the 5-second window answers success in time; its reply follows as a customer-service message', async () => {
    await post('/sandbox/oa/mode', { mode: 'safe' });
    // A follower the server has never seen (made in the sandbox without a push): answering them
    // first reads their profile from WeChat, which the sandbox now delays past the deadline.
    await post('/sandbox/oa/users/bulk', { count: 1, prefix: 'oSlow' });
    const openid = 'oSlow0000000';
    await post('/sandbox/platform/faults', { latencyMs: 4500 });
    const started = Date.now();
    const res = await post(`/sandbox/oa/users/${openid}/text`, { content: '营业吗' });
    const answeredIn = Date.now() - started;
    expect(res.body.pushed).toMatchObject({ attempts: 1, outcome: '200' });
    expect(res.body.pushed.reply.kind).toBe('none'); // `success`: nothing shown, no retry
    expect(answeredIn).toBeLessThan(5000);
    // The reply arrives later, as a customer-service message.
    const deadline = Date.now() + 20_000;
    let customer: string[] = [];
    while (Date.now() < deadline) {
      customer = (await inbox(openid)).filter((m) => m.via === 'customer').map((m) => m.content);
      if (customer.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(customer).toEqual([HOURS]);
    await post('/sandbox/platform/faults', { latencyMs: 0 });
  }, 40_000);
});

describe('the rules editor', () => {
  it('refuses an invalid regular expression with the field at fault, and a clerk may not edit rules', async () => {
    const bad = await api(stack.baseUrl, 'POST', '/api/admin/auto-replies/rules', marketer.auth, {
      name: 'bad',
      match: 'regex',
      pattern: '([',
      reply: { type: 'text', text: 'x' },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('pattern');
    const clerk = await makeStaff(stack.db, 'clerk');
    expect((await api(stack.baseUrl, 'GET', '/api/admin/auto-replies/rules', clerk.auth)).status).toBe(403);
  });
});
