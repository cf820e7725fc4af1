/**
 * The sandbox's followers, tags, inbox window, scene QR codes, mini-program codes and menu
 * rules, on the wire as WeChat speaks them (WECHAT-MARKETING.md §1, §2, §5).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { createSandbox, type Sandbox } from '../src/app';
import { loadApps } from '../src/platform/apps';
import { unionidOf } from '../src/oa/followers.surface';

const apps = loadApps();
let sandbox: Sandbox;
let server: http.Server;
let base: string;

beforeAll(async () => {
  sandbox = createSandbox({
    merchantBaseUrl: 'http://127.0.0.1:1',
    selfBaseUrl: 'http://127.0.0.1:0',
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-followers-')),
    logLevel: 'silent',
  });
  server = http.createServer(sandbox.app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await sandbox.close();
});

const raw = (p: string, body?: unknown) =>
  fetch(`${base}${p}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const call = async (p: string, body?: unknown) => (await (await raw(p, body)).json()) as any;
const tokenOf = async (app: { appId: string; secret: string }) =>
  (
    await call('/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: app.appId,
      secret: app.secret,
      force_refresh: false,
    })
  ).access_token as string;
let oa: string;
let mp: string;
beforeAll(async () => {
  oa = await tokenOf(apps.oa);
  mp = await tokenOf(apps.mp);
});

describe('followers', () => {
  it('user/get pages 25,000 bulk followers by 10,000, the last openid of each page included, then an empty page without data', async () => {
    expect((await call('/sandbox/oa/users/bulk', { count: 25_000, prefix: 'oPage' })).created).toBe(25_000);
    const pages: any[] = [];
    let next: string | undefined;
    for (;;) {
      const page = await call(`/cgi-bin/user/get?access_token=${oa}${next ? `&next_openid=${next}` : ''}`);
      pages.push(page);
      if (page.count === 0) break;
      next = page.next_openid;
    }
    expect(pages.map((p) => p.count)).toEqual([10_000, 10_000, 5_000, 0]);
    expect(pages[2].next_openid).toBe(pages[2].data.openid.at(-1));
    expect(pages[3]).toMatchObject({ total: 25_000, count: 0, next_openid: '' });
    expect(pages[3].data).toBeUndefined();
    const all = pages.flatMap((p) => p.data?.openid ?? []);
    expect(new Set(all).size).toBe(25_000);
  });

  it('batchget answers up to 100 with unionid and no nickname, subscribe 0 for a non-follower, 40032 above 100', async () => {
    const got = await call(`/cgi-bin/user/info/batchget?access_token=${oa}`, {
      user_list: [{ openid: 'oPage0000001' }, { openid: 'oNeverFollowed' }],
    });
    expect(got.user_info_list[0]).toMatchObject({
      subscribe: 1,
      openid: 'oPage0000001',
      unionid: unionidOf('oPage0000001'),
    });
    expect(got.user_info_list[0].nickname).toBeUndefined();
    expect(got.user_info_list[1]).toEqual({ subscribe: 0, openid: 'oNeverFollowed' });
    const tooMany = await call(`/cgi-bin/user/info/batchget?access_token=${oa}`, {
      user_list: Array.from({ length: 101 }, (_, i) => ({ openid: `oPage${String(i).padStart(7, '0')}` })),
    });
    expect(tooMany.errcode).toBe(40032);
  });
});

describe('tags', () => {
  it('create, rename and delete with WeChat’s limits: 30 UTF-8 bytes, unique names, system tags fixed, 50 per batch, 20 per user', async () => {
    const t = (p: string, b: unknown) => call(`/cgi-bin/tags/${p}?access_token=${oa}`, b);
    const vip = (await t('create', { tag: { name: '会员VIP' } })).tag;
    expect(vip.id).toBeGreaterThan(2);
    expect((await t('create', { tag: { name: '会员VIP' } })).errcode).toBe(45157);
    expect((await t('create', { tag: { name: '一二三四五六七八九十一' } })).errcode).toBe(45158); // 33 bytes
    expect((await t('create', { tag: { name: '一二三四五六七八九十' } })).errcode).toBe(0); // 30 bytes
    expect((await t('update', { tag: { id: 2, name: 'x' } })).errcode).toBe(45058);
    expect((await t('update', { tag: { id: vip.id, name: '金卡' } })).errcode).toBe(0);
    expect((await t('update', { tag: { id: 99999, name: 'y' } })).errcode).toBe(45159);

    const fiftyOne = Array.from({ length: 51 }, (_, i) => `oPage${String(i).padStart(7, '0')}`);
    expect((await t('members/batchtagging', { openid_list: fiftyOne, tagid: vip.id })).errcode).toBe(40032);
    expect((await t('members/batchtagging', { openid_list: fiftyOne.slice(0, 50), tagid: vip.id })).errcode).toBe(0);
    const list = (await call(`/cgi-bin/tags/get?access_token=${oa}`)).tags;
    expect(list.find((x: any) => x.id === vip.id)).toEqual({ id: vip.id, name: '金卡', count: 50 });

    const many: number[] = [];
    for (let i = 0; i < 20; i++) many.push((await t('create', { tag: { name: `t${i}` } })).tag.id);
    for (const id of many.slice(0, 19))
      expect((await t('members/batchtagging', { openid_list: ['oPage0000100'], tagid: id })).errcode).toBe(0);
    expect((await t('members/batchtagging', { openid_list: ['oPage0000100'], tagid: vip.id })).errcode).toBe(0);
    expect((await t('members/batchtagging', { openid_list: ['oPage0000100'], tagid: many[19] })).errcode).toBe(45059);

    expect((await t('delete', { tag: { id: vip.id } })).errcode).toBe(0);
    const after = await call(`/cgi-bin/user/info/batchget?access_token=${oa}`, {
      user_list: [{ openid: 'oPage0000001' }],
    });
    expect(after.user_info_list[0].tagid_list).not.toContain(vip.id);
  }, 30_000);
});

describe('inbox and the 48-hour window', () => {
  it('custom/send is refused with 45015 to a follower who has not written, and lands in the inbox after they do', async () => {
    const send = () =>
      call(`/cgi-bin/message/custom/send?access_token=${oa}`, {
        touser: 'oPage0000002',
        msgtype: 'text',
        text: { content: '您好' },
      });
    expect((await send()).errcode).toBe(45015);
    await call('/sandbox/oa/users/oPage0000002/text', { content: '在吗' });
    expect((await send()).errcode).toBe(0);
    const inbox = await call('/sandbox/oa/users/oPage0000002/inbox');
    expect(inbox.messages.map((m: any) => [m.via, m.content])).toContainEqual(['customer', '您好']);
  });
});

describe('scene QR codes', () => {
  it('a permanent string scene pushes subscribe with qrscene_<scene> to a new follower and SCAN with the bare scene after', async () => {
    const qr = await call(`/cgi-bin/qrcode/create?access_token=${oa}`, {
      action_name: 'QR_LIMIT_STR_SCENE',
      action_info: { scene: { scene_str: 'tp_table7' } },
    });
    expect(qr.expire_seconds).toBeUndefined();
    const temp = await call(`/cgi-bin/qrcode/create?access_token=${oa}`, {
      action_name: 'QR_STR_SCENE',
      expire_seconds: 99_999_999,
      action_info: { scene: { scene_str: 'tp_flyer' } },
    });
    expect(temp.expire_seconds).toBe(2_592_000);
    const first = await call('/sandbox/oa/users/oScanner1/follow', { ticket: qr.ticket });
    expect(first.pushed.fields ?? first.pushed).toBeDefined();
    const deliveries = (await call('/sandbox/oa/deliveries')).deliveries as any[];
    const bodies = deliveries.map((d) => JSON.stringify(d));
    expect(bodies.some((b) => b.includes('qrscene_tp_table7'))).toBe(true);
    await call('/sandbox/oa/users/oScanner1/follow', { ticket: qr.ticket });
    const again = ((await call('/sandbox/oa/deliveries')).deliveries as any[]).map((d) => JSON.stringify(d));
    expect(again[0]).toContain('SCAN');
    expect(again[0]).toContain('tp_table7');
    expect(again[0]).not.toContain('qrscene_');
    expect((await raw(`/cgi-bin/showqrcode?ticket=${encodeURIComponent(qr.ticket)}`)).status).toBe(200);
    expect((await raw('/cgi-bin/showqrcode?ticket=nope')).status).toBe(404);
  });
});

describe('mini-program codes', () => {
  it('getwxacodeunlimit draws a PNG that decodes to the page with the URL-encoded scene', async () => {
    const res = await raw(`/wxa/getwxacodeunlimit?access_token=${mp}`, {
      scene: 'tp=ab12&s=1',
      page: 'pages/index/index',
      width: 100,
      check_path: false,
    });
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    expect(png.width).toBe(280); // clamped to WeChat's minimum
    const read = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(read?.data).toBe('pages/index/index?scene=tp%3Dab12%26s%3D1');
  });

  it.each([
    [{ scene: '中文' }, 40129],
    [{ scene: 'a%20b' }, 40129],
    [{ scene: 'x'.repeat(33) }, 40169],
    [{ scene: 'ok', page: '/pages/index/index' }, 41030],
    [{ scene: 'ok', page: 'pages/index/index?x=1' }, 41030],
    [{ scene: 'ok', env_version: 'beta' }, 40097],
    [{ scene: 'ok', scancode_time: 1 }, 85096],
  ])('refuses %j with errcode %i as JSON, HTTP 200', async (body, errcode) => {
    const res = await raw(`/wxa/getwxacodeunlimit?access_token=${mp}`, body);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; encoding=utf-8');
    expect(((await res.json()) as any).errcode).toBe(errcode);
  });

  it('refuses the official account’s token (48001)', async () => {
    expect(
      ((await (await raw(`/wxa/getwxacodeunlimit?access_token=${oa}`, { scene: 'x' })).json()) as any).errcode,
    ).toBe(48001);
  });
});

describe('menu', () => {
  const menu = (button: unknown) => call(`/cgi-bin/menu/create?access_token=${oa}`, { button });
  it('publishes 3 × 5 of click, view and miniprogram, reads it back, and refuses what WeChat refuses', async () => {
    const sub = (i: number) => ({ type: 'click', name: `子菜单${i}`, key: `K${i}` });
    const good = [
      { name: '逛逛', sub_button: [1, 2, 3, 4, 5].map(sub) },
      { type: 'view', name: '官网', url: 'https://shop.example.com/' },
      {
        type: 'miniprogram',
        name: '商城',
        url: 'https://shop.example.com/',
        appid: apps.mp.appId,
        pagepath: 'pages/index/index',
      },
    ];
    expect((await menu(good)).errcode).toBe(0);
    expect((await call(`/cgi-bin/menu/get?access_token=${oa}`)).menu.button).toEqual(good);
    expect((await menu([...good, good[1]])).errcode).toBe(40016);
    expect((await menu([{ name: '逛逛', sub_button: [1, 2, 3, 4, 5, 6].map(sub) }])).errcode).toBe(40023);
    expect((await menu([{ type: 'click', name: '一二三四五六', key: 'k' }])).errcode).toBe(40018); // 18 bytes
    expect((await menu([{ type: 'click', name: 'x' }])).errcode).toBe(40019);
    expect((await menu([{ type: 'bogus', name: 'x' }])).errcode).toBe(40017);
    expect((await menu([{ ...good[2], appid: 'wxunlinked' }])).errcode).toBe(45064);
    expect((await call('/sandbox/oa/menu')).button).toEqual(good);
  });
});
