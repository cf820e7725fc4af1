/**
 * The menu editor's API: a 3 × 5 draft of click, view and mini-program buttons, checked as
 * WeChat checks it, published through menu/create and read back with menu/get; a follower's
 * tap reaches the server as WeChat pushes it. Also the default reply and news/image replies.
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
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-menu-')),
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
  await stack.close();
  sandboxServer.closeAllConnections();
  await new Promise<void>((r) => sandboxServer.close(() => r()));
  await sandbox.close();
});

const post = (p: string, body: unknown) =>
  getJson(`${sb}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const call = (method: string, p: string, body?: unknown) => api(stack.baseUrl, method, p, marketer.auth, body);

const draft = {
  buttons: [
    {
      name: '逛逛',
      subButtons: [1, 2, 3, 4, 5].map((i) => ({ type: 'click', name: `推荐${i}`, key: `RECOMMEND_${i}` })),
    },
    { type: 'view', name: '品牌故事', url: 'https://shop.example.com/story' },
    { type: 'miniprogram', name: '进店', url: 'https://shop.example.com/', pagePath: 'pages/index/index' },
  ],
};

describe('menu editor', () => {
  it('saves a 3 × 5 draft, publishes it through WeChat and reads back the same menu', async () => {
    expect((await call('GET', '/api/admin/menu')).body).toEqual({ draft: null, published: null, publishedAt: null });
    expect((await call('PUT', '/api/admin/menu/draft', draft)).body.draft).toEqual(draft);
    const published = await call('POST', '/api/admin/menu/publish');
    expect(published.status).toBe(200);
    expect(published.body.published).toEqual(draft);
    expect(published.body.publishedAt).toEqual(expect.any(String));
    // WeChat's copy, in WeChat's shape (the mini program's appid filled in from configuration).
    const onWechat = (await getJson(`${sb}/sandbox/oa/menu`)).body.button;
    expect(onWechat[2]).toEqual({
      type: 'miniprogram',
      name: '进店',
      url: 'https://shop.example.com/',
      appid: stack.config.wechat.miniProgram.appId,
      pagepath: 'pages/index/index',
    });
    expect(onWechat[0].sub_button).toHaveLength(5);
    expect((await call('POST', '/api/admin/menu/read-back')).body.published).toEqual(draft);
  });

  it('a follower tapping a published button reaches the server as CLICK with its key', async () => {
    await post('/sandbox/oa/users/o_menu_tapper/follow', {});
    const tap = await post('/sandbox/oa/users/o_menu_tapper/menu', { button: '0.2' });
    expect(tap.body.button).toBe('推荐3');
    expect(tap.body.pushed.sent).toContain('RECOMMEND_3');
    expect(tap.body.pushed.outcome).toBe('200');
  });

  it.each([
    ['four top-level buttons', { buttons: [...draft.buttons, draft.buttons[1]] }, 'body.buttons'],
    [
      'six sub-buttons',
      {
        buttons: [
          {
            name: 'x',
            subButtons: Array.from({ length: 6 }, (_, i) => ({ type: 'click', name: `s${i}`, key: `k${i}` })),
          },
        ],
      },
      'body.buttons.0',
    ],
    [
      'a top-level name over 16 bytes',
      { buttons: [{ type: 'click', name: '一二三四五六', key: 'k' }] },
      'body.buttons.0.name',
    ],
    [
      'a view button without an http URL',
      { buttons: [{ type: 'view', name: 'x', url: 'ftp://example.com/' }] },
      'body.buttons',
    ],
  ])('refuses %s with the field at fault and keeps the draft', async (_what, bad, field) => {
    const res = await call('PUT', '/api/admin/menu/draft', bad);
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { path: string }) => f.path).some((p: string) => p.startsWith(field))).toBe(true);
    expect((await call('GET', '/api/admin/menu')).body.draft).toEqual(draft);
  });

  it('unpublishing removes the menu from WeChat and keeps the draft', async () => {
    const res = await call('POST', '/api/admin/menu/unpublish');
    expect(res.body).toMatchObject({ draft, published: null });
    expect((await getJson(`${sb}/sandbox/oa/menu`)).body.button).toBeNull();
  });

  it('a clerk may not edit the menu', async () => {
    const clerk = await makeStaff(stack.db, 'clerk');
    expect((await api(stack.baseUrl, 'PUT', '/api/admin/menu/draft', clerk.auth, draft)).status).toBe(403);
  });
});

describe('default, news and image replies', () => {
  it('a message no rule matches gets the default reply; news and image rules answer in their own reply types', async () => {
    await call('PUT', '/api/admin/auto-replies/default', { reply: { type: 'text', text: '收到，稍后回复您' } });
    await call('POST', '/api/admin/auto-replies/rules', {
      name: '新品',
      match: 'exact',
      pattern: '新品',
      reply: {
        type: 'news',
        articles: [{ title: '秋季新茶', description: '龙井上市', url: 'https://shop.example.com/new' }],
      },
    });
    await call('POST', '/api/admin/auto-replies/rules', {
      name: '二维码',
      match: 'contains',
      pattern: '二维码',
      reply: { type: 'image', mediaId: 'MEDIA_QR_1' },
    });
    await post('/sandbox/oa/users/o_replies/follow', {});
    const other = await post('/sandbox/oa/users/o_replies/text', { content: '随便问问' });
    expect(other.body.pushed.reply).toMatchObject({ kind: 'text', content: '收到，稍后回复您' });
    const news = await post('/sandbox/oa/users/o_replies/text', { content: '新品' });
    expect(news.body.pushed.reply.kind).toBe('news');
    expect(JSON.stringify(news.body.pushed.reply)).toContain('秋季新茶');
    const image = await post('/sandbox/oa/users/o_replies/text', { content: '发我二维码' });
    expect(image.body.pushed.reply.kind).toBe('image');
    const settings = await call('GET', '/api/admin/auto-replies');
    expect(settings.body.defaultReply).toEqual({ type: 'text', text: '收到，稍后回复您' });
  });
});
