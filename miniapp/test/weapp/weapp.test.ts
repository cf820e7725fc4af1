/**
 * `npm test` boots the weapp bundle, not only the H5 one: the bundle scripts/test.mjs built
 * (a release build with CHATMALL_API_BASE=https://shop.example.com/) runs in
 * miniprogram-simulate — WeChat's own wcc/wcsc compilers and its component framework — and
 * renders home, product and cart with data from the real API (and the merchant subpackage for a bound WeChat); wx.request is answered by the
 * API only for the request domain the bundle was built for, wx.login by the sandbox.
 * Decision: docs/decisions/0019-weapp-bundle-in-miniprogram-simulate.md.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- miniprogram-compiler's wcc/wcsc wrappers have no types */
import fs from 'node:fs';
import path from 'node:path';
import { startStack, testConfig, type TestStack } from '../../../server/test/support/harness';
import { startSandbox, type RunningSandbox } from '../../../server/test/support/sandbox';
import { api, makeStaff } from '../../../server/test/support/people';
import { createPack } from '../../../server/test/support/redpack';
import { defaultProgramme } from '../../../server/src/modules/membership/programme.service';
import { redEnvelopeSharePath } from '../../../shared/src/red-envelopes';
import { WeappSimulator } from './simulator';

const root = path.resolve(__dirname, '../../dist/weapp');
/** What scripts/test.mjs built the bundle with; normalised as the build does. */
const builtBase = (process.env.CHATMALL_API_BASE ?? 'https://shop.example.com/').replace(/\/+$/, '');
const builtAppId = process.env.WECHAT_MP_APPID;

const listFiles = (ext: string) => {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }))
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (e.name.endsWith(ext)) out.push(path.relative(root, path.join(dir, e.name)).slice(0, -ext.length));
  };
  walk(root);
  return out.sort();
};

beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'app.js')))
    throw new Error(
      'miniapp/dist/weapp is not built: npm run build:weapp -w @chatmall/miniapp (scripts/test.mjs does)',
    );
});

describe('the weapp bundle as built', () => {
  it('sends every request to CHATMALL_API_BASE without a doubled slash, and carries WECHAT_MP_APPID', () => {
    const bundle = ['common.js', 'app.js', 'vendors.js', 'taro.js']
      .filter((f) => fs.existsSync(path.join(root, f)))
      .map((f) => fs.readFileSync(path.join(root, f), 'utf8'))
      .join('\n');
    expect(bundle).toContain(JSON.stringify(builtBase));
    expect(bundle).not.toContain(JSON.stringify(`${builtBase}/`));
    expect(bundle).not.toContain('http://127.0.0.1:3000');
    const project = JSON.parse(fs.readFileSync(path.join(root, 'project.config.json'), 'utf8')) as { appid: string };
    if (builtAppId) expect(project.appid).toBe(builtAppId);
    expect(project.appid).not.toBe('');
  });

  it('compiles every WXML file with wcc and every WXSS file with wcsc (WeChat’s own compilers)', () => {
    const wcc = require('miniprogram-compiler/src/wcc') as (
      root: string,
      files: string[],
      wxs: string[],
      o: object,
    ) => string;
    const wcsc = require('miniprogram-compiler/src/wcsc') as (
      root: string,
      files: string[],
      o: object,
    ) => Record<string, string> | Error;
    const wxml = listFiles('.wxml');
    const wxss = listFiles('.wxss');
    expect(wxml).toEqual(
      expect.arrayContaining(['base', 'comp', 'pages/home/index', 'pages/product/index', 'pages/cart/index']),
    );
    const wxs = listFiles('.wxs').map((f) => `${f}.wxs`);
    // wcc throws naming the file and line on the first error.
    const js = wcc(root, wxml, wxs, { maxBuffer: 64 * 1024 * 1024 });
    for (const f of wxml) expect(js).toContain(`${f}.wxml`);
    const css = wcsc(root, wxss, { maxBuffer: 64 * 1024 * 1024 });
    if (css instanceof Error) throw css;
    // Pages and components come out one function each; app.wxss and what it imports, as `comm`.
    const standalone = wxss.filter((f) => !fs.existsSync(path.join(root, `${f}.json`)));
    for (const f of wxss.filter((x) => !standalone.includes(x))) expect(Object.keys(css)).toContain(`${f}.wxss`);
    expect(css.comm).toBeTruthy();
    for (const f of standalone) {
      const one = wcsc(root, [f], {});
      if (one instanceof Error) throw one;
    }
  });
});

describe('the weapp bundle in miniprogram-simulate', () => {
  let sandbox: RunningSandbox;
  let stack: TestStack;
  let sim: WeappSimulator;
  const simOpenid = `oWeapp${Date.now().toString(36)}`;

  beforeAll(async () => {
    sandbox = await startSandbox();
    stack = await startStack({ config: testConfig({ WECHAT_API_BASE: sandbox.url, WECHATPAY_API_BASE: sandbox.url }) });
    sim = new WeappSimulator({
      root,
      requestOrigin: builtBase,
      apiUrl: stack.baseUrl,
      sandboxUrl: sandbox.url,
      openid: simOpenid,
    });
    sim.boot();
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await sandbox?.close();
  });

  it('renders the home page with the shop’s products from the API', async () => {
    const home = sim.open('pages/home/index');
    await home.waitForText('明前西湖龙井');
    expect(home.element.querySelectorAll('.product-card').length).toBeGreaterThanOrEqual(5);
    home.close();
  }, 30_000);

  it('renders a product page with its price', async () => {
    const product = sim.open('pages/product/index', { id: 'prod_longjing' });
    const text = await product.waitForText('明前西湖龙井');
    expect(text).toMatch(/¥\d+\.\d\d/);
    product.close();
  }, 30_000);

  it('signs in with wx.login (the sandbox) and renders the buyer’s cart from the API', async () => {
    const cart = sim.open('pages/cart/index');
    // The cart is a buyer route: the bundle signs in first (wx.login → sandbox code → /api/auth/login).
    const deadline = Date.now() + 10_000;
    while (!sim.storage.get('chatmall.session') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(sim.logins).toBeGreaterThanOrEqual(1);
    const session = sim.storage.get('chatmall.session') as { accessToken: string };
    expect(session?.accessToken).toBeTruthy();

    // The same buyer puts a tea in the cart (as from another phone); back on the cart tab it shows.
    const auth = { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json' };
    const product = (await (await fetch(`${stack.baseUrl}/api/products/prod_longjing`)).json()) as {
      skus: { id: string }[];
    };
    const added = await fetch(`${stack.baseUrl}/api/cart/items`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ skuId: product.skus[0].id, quantity: 2 }),
    });
    expect(added.status).toBeLessThan(300);
    cart.show();
    await cart.waitForText('明前西湖龙井');
    cart.close();
  }, 30_000);

  it('opens the merchant subpackage: "me" shows 商家后台 only once this WeChat is bound to a staff member', async () => {
    const until = async (ok: () => boolean) => {
      const deadline = Date.now() + 10_000;
      while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    };
    const asked = () => sim.requests.filter((r) => r.url.endsWith('/api/merchant/me')).length;
    const before = asked();
    const me = sim.open('pages/me/index');
    await me.waitForText('收货地址');
    await until(() => asked() > before);
    await new Promise((r) => setTimeout(r, 100));
    expect(me.text()).not.toContain('商家后台');
    me.close();

    // The bind page (a subpackage page) renders with the console's code in its query.
    const clerk = await makeStaff(stack.db, 'clerk');
    const issued = await api(stack.baseUrl, 'POST', '/api/admin/me/wechat-binding', clerk.auth);
    const bind = sim.open('pkg-merchant/pages/bind/index', { code: issued.body.code });
    await bind.waitForText('绑定码 Code');
    bind.close();
    // This WeChat binds (as the page's button does), then the merchant home and the entry show.
    const session = sim.storage.get('chatmall.session') as { accessToken: string };
    const bound = await api(
      stack.baseUrl,
      'POST',
      '/api/merchant/binding',
      {
        authorization: `Bearer ${session.accessToken}`,
      },
      { code: issued.body.code },
    );
    expect(bound.body.bound).toBe(true);
    const home = sim.open('pkg-merchant/pages/home/index');
    await home.waitForText('今日数据 Today');
    expect(home.text()).toContain('待发货订单');
    home.close();
    const again = sim.open('pages/me/index');
    await again.waitForText('商家后台 Merchant');
    again.close();
  }, 30_000);

  it('opens the member subpackage: the member centre, and the member code drawn as views (barcode, digits, QR)', async () => {
    const owner = await makeStaff(stack.db, 'owner');
    const saved = await api(stack.baseUrl, 'PUT', '/api/admin/membership/programme', owner.auth, {
      ...defaultProgramme,
      enabled: true,
    });
    expect(saved.status).toBe(200);
    // This WeChat joins (as the phone-number button does): the sandbox's code for its user.
    const session = sim.storage.get('chatmall.session') as { accessToken: string };
    const phone = await fetch(`${sandbox.url}/sandbox/mp/users/${simOpenid}/phone-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { code } = (await phone.json()) as { code: string };
    const joined = await api(
      stack.baseUrl,
      'POST',
      '/api/membership/join',
      { authorization: `Bearer ${session.accessToken}` },
      { phoneCode: code },
    );
    expect(joined.status).toBe(200);

    const centre = sim.open('pkg-member/pages/centre/index');
    await centre.waitForText('普通会员');
    expect(centre.text()).toContain('积分 Points');
    centre.close();
    const page = sim.open('pkg-member/pages/code/index');
    await page.waitForText('秒后自动刷新');
    expect(page.element.querySelector('.member-code-digits')?.textContent).toMatch(/^\d{4}( \d{4}){5}$/);
    // A version-1 or -2 QR code: one row of views per module row.
    expect(page.element.querySelectorAll('.member-code__qr-row').length).toBeGreaterThanOrEqual(21);
    expect(page.element.querySelectorAll('.member-code__barcode .member-code__dark').length).toBeGreaterThan(30);
    page.close();
  }, 30_000);

  it('opens a red-envelope card from a group chat: the group is read through wx.getGroupEnterInfo and decrypted by the server', async () => {
    const marketer = await makeStaff(stack.db, 'marketer');
    const pack = await createPack(stack.baseUrl, marketer.auth, {
      budget: 900,
      shares: 3,
      minimumShare: 100,
      groupOnly: true,
    });
    const sandboxCall = async (p: string, body: unknown) =>
      (await api(sandbox.url, 'POST', p, {}, body)).body as Record<string, any>;
    const openid = simOpenid;
    const group = await sandboxCall('/sandbox/mp/groups', { name: '小程序群', members: [openid, 'oWeappFriend'] });
    const card = await sandboxCall('/sandbox/mp/users/oWeappFriend/share', {
      groupId: group.id,
      path: redEnvelopeSharePath(pack.id),
      title: '店庆红包',
    });
    const launch = await sandboxCall(`/sandbox/mp/users/${openid}/open`, { messageId: card.id });
    expect(launch.scene).toBe(1044);
    sim.enter = { path: launch.path, query: launch.query, scene: launch.scene, shareTicket: launch.shareTicket };
    const page = sim.open('pkg-redpack/pages/red-envelope/index', launch.query);
    await page.waitForText('恭喜发财');
    expect(page.text()).toContain('開');
    page.close();
    // The server decrypted the group with this buyer's session key and recorded the open from it.
    const opens: { group_id: string; chat: string }[] = await stack.db.query(
      'SELECT group_id, chat FROM red_envelope_opens WHERE pack_id = ?',
      [pack.id],
    );
    expect(opens).toEqual([expect.objectContaining({ group_id: group.id, chat: 'group' })]);
    sim.enter = { path: 'pages/home/index', query: {}, scene: 1001 };

    // Outside a chat (no shareTicket) the group-only pack asks for the group.
    const direct = sim.open('pkg-redpack/pages/red-envelope/index', { id: pack.id });
    await direct.waitForText('请从群聊中打开');
    direct.close();
  }, 30_000);

  it('sent every request to the built request domain, which the API answered', () => {
    expect(sim.requests.length).toBeGreaterThanOrEqual(4);
    for (const r of sim.requests) expect(r.url.startsWith(`${builtBase}/api/`)).toBe(true);
    expect(sim.requests.map((r) => `${r.method} ${r.url.slice(builtBase.length)}`)).toEqual(
      expect.arrayContaining(['GET /api/categories', 'POST /api/auth/login', 'GET /api/cart']),
    );
  });
});
