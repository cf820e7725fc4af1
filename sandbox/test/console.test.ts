/**
 * The console as a playground, driven over HTTP the way its forms post (form-encoded, then
 * the 303 to the page that shows the result), against a merchant double that speaks safe
 * mode with its own crypto (not the sandbox's), so the sandbox's checks are tested, not
 * reused.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { createSandbox, type Sandbox } from '../src/app';
import { officialAccountSim } from '../src/oa/oa.surface';
import { loadApps } from '../src/platform/apps';

const apps = loadApps();
const oa = apps.oa;

// ---- the merchant double: WXBizMsgCrypt written out here ----------------------------------
const aesKey = Buffer.from(`${oa.encodingAesKey}=`, 'base64');
const sha1 = (...parts: string[]) => createHash('sha1').update(parts.sort().join('')).digest('hex');
function decrypt(encrypted: string): string {
  const d = createDecipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16)).setAutoPadding(false);
  const full = Buffer.concat([d.update(encrypted, 'base64'), d.final()]);
  const plain = full.subarray(0, full.length - full[full.length - 1]);
  const len = plain.readUInt32BE(16);
  return plain.subarray(20, 20 + len).toString('utf8');
}
function encrypt(message: string): string {
  const msg = Buffer.from(message);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const body = Buffer.concat([randomBytes(16), len, msg, Buffer.from(oa.appId)]);
  const pad = 32 - (body.length % 32);
  const c = createCipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), c.final()]).toString('base64');
}
const field = (xml: string, name: string) =>
  new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(xml)?.slice(1).find(Boolean);

type ReplyStyle = 'own-nonce' | 'echo-nonce' | 'bad-signature' | 'success';
let replyStyle: ReplyStyle = 'own-nonce';
const received: { xml: string; nonce: string }[] = [];

const merchant = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://merchant');
    const q = Object.fromEntries(url.searchParams);
    const encrypted = field(Buffer.concat(chunks).toString('utf8'), 'Encrypt') ?? '';
    if (sha1(oa.token, q.timestamp, q.nonce, encrypted) !== q.msg_signature) {
      res.writeHead(401).end();
      return;
    }
    const xml = decrypt(encrypted);
    received.push({ xml, nonce: q.nonce });
    if (replyStyle === 'success') {
      res.end('success');
      return;
    }
    const reply = `<xml><ToUserName><![CDATA[${field(xml, 'FromUserName')}]]></ToUserName><FromUserName><![CDATA[${oa.originalId}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[收到：${field(xml, 'Content') ?? field(xml, 'Event')}]]></Content></xml>`;
    const sealed = encrypt(reply);
    // easywechat and other SDKs reply with a nonce and timestamp of their own.
    const nonce = replyStyle === 'echo-nonce' ? q.nonce : randomBytes(5).toString('hex');
    const timestamp = String(Math.floor(Date.now() / 1000) + 1);
    const signature =
      replyStyle === 'bad-signature'
        ? sha1(oa.token, timestamp, q.nonce, sealed)
        : sha1(oa.token, timestamp, nonce, sealed);
    res.setHeader('content-type', 'application/xml');
    res.end(
      `<xml><Encrypt><![CDATA[${sealed}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`,
    );
  });
});

// ---- the sandbox --------------------------------------------------------------------------
let sandbox: Sandbox;
let server: http.Server;
let base: string;

beforeAll(async () => {
  await new Promise<void>((r) => merchant.listen(0, '127.0.0.1', r));
  sandbox = createSandbox({
    merchantBaseUrl: `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`,
    selfBaseUrl: 'http://127.0.0.1:0',
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-console-')),
    logLevel: 'silent',
  });
  server = http.createServer(sandbox.app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  merchant.closeAllConnections();
  await new Promise<void>((r) => merchant.close(() => r()));
  await sandbox.close();
});
beforeEach(() => {
  replyStyle = 'own-nonce';
});

const json = async (p: string, body?: unknown) => {
  const res = await fetch(`${base}${p}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};
/** Posts as a console form does and follows the 303 to the page showing the result. */
async function form(p: string, fields: Record<string, string> = {}) {
  const res = await fetch(`${base}${p}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  const location = res.headers.get('location') ?? '';
  expect(location).toMatch(/^\/\?(as=[\w-]+&)?r=\w+#result$/);
  const page = await (await fetch(`${base}${location}`)).text();
  const result = /<section id="result"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
  return { location, page, result, status: Number(/data-status="(\d+)"/.exec(result)?.[1]) };
}
const inbox = async (openid: string) => (await json(`/sandbox/oa/users/${openid}/inbox`)).body.messages as any[];

describe('safe-mode replies (WeChat checks the reply on its own TimeStamp and Nonce)', () => {
  it('delivers a reply whose nonce differs from the push’s to the user', async () => {
    await json('/sandbox/oa/mode', { mode: 'safe' });
    const res = await json('/sandbox/oa/users/o_own_nonce/text', { content: '在吗' });
    expect(res.body.pushed).toMatchObject({
      mode: 'safe',
      outcome: '200',
      reply: { kind: 'text', content: '收到：在吗' },
    });
    const last = received.at(-1)!;
    expect(field(last.xml, 'Content')).toBe('在吗');
    expect(await inbox('o_own_nonce')).toEqual([expect.objectContaining({ via: 'reply', content: '收到：在吗' })]);
  });

  it('still delivers a reply that echoes the push’s nonce', async () => {
    replyStyle = 'echo-nonce';
    const res = await json('/sandbox/oa/users/o_echo_nonce/text', { content: 'hi' });
    expect(res.body.pushed.reply).toEqual({ kind: 'text', content: '收到：hi' });
  });

  it('shows "unavailable" when the signature does not cover the reply’s own nonce', async () => {
    replyStyle = 'bad-signature';
    const res = await json('/sandbox/oa/users/o_bad_sig/text', { content: 'hi' });
    expect(res.body.pushed.reply.kind).toBe('unavailable');
    expect(await inbox('o_bad_sig')).toEqual([
      expect.objectContaining({ via: 'notice', content: '该公众号暂时无法提供服务，请稍后再试' }),
    ]);
  });
});

describe('console: every action shows its result', () => {
  it('a text from the console shows the message delivered and the reply received', async () => {
    const { result, location } = await form('/sandbox/oa/users/o_console_text/text', { content: '有绿茶吗' });
    expect(location).toContain('as=o_console_text');
    expect(result).toContain('推送 Delivered');
    expect(result).toContain('text from o_console_text');
    expect(result).toContain('有绿茶吗'); // the message pushed
    expect(result).toContain('收到：有绿茶吗'); // the reply the user got
  });

  it('a mini-program login shows the code, which works once at jscode2session', async () => {
    const { result } = await form('/sandbox/mp/users/o_console_login/login');
    const code = /data-code>([0-9a-f]{32})</.exec(result)?.[1];
    expect(code).toBeDefined();
    const exchange = `/sns/jscode2session?appid=${apps.mp.appId}&secret=${apps.mp.secret}&js_code=${code}&grant_type=authorization_code`;
    expect((await json(exchange)).body).toMatchObject({ openid: 'o_console_login' });
    expect((await json(exchange)).body.errcode).toBe(40163);
  });

  it('a group share shows the encrypted payload and, on the console only, what it decrypts to', async () => {
    await form('/sandbox/mp/users/o_console_group/login');
    const { result } = await form('/sandbox/mp/users/o_console_group/group-share', {
      api: 'getShareInfo',
      groupId: 'tGroupTea',
    });
    expect(result).toContain('encryptedData');
    expect(result).toContain('&#34;openGId&#34;: &#34;tGroupTea&#34;');
    const api = await json('/sandbox/mp/users/o_console_group/group-share', {
      api: 'getShareInfo',
      groupId: 'tGroupTea',
    });
    expect(Object.keys(api.body).sort()).toEqual(['encryptedData', 'iv']);
  });

  it('a failed action shows its status and reason instead of a silent reload', async () => {
    const { result, status } = await form('/sandbox/mp/users/o_never_logged_in/group-share', { api: 'getShareInfo' });
    expect(status).toBe(409);
    expect(result).toContain('log in first');
  });
});

describe('console: any simulated user can be driven', () => {
  it('lists the H5 buyer after the storefront logs in, and acts as the user picked', async () => {
    const h5 = 'oH5k2l9x0d7q1m3n5p8r2t4v6w';
    // The storefront's call: a POST with no body (miniapp/src/services/api.ts).
    expect((await fetch(`${base}/sandbox/mp/users/${h5}/login`, { method: 'POST' })).status).toBe(200);
    const listed = await (await fetch(`${base}/`)).text();
    expect(listed).toMatch(new RegExp(`<code>${h5}</code></td><td><span class="tag">H5 商城买家 H5 buyer`));
    const page = await (await fetch(`${base}/?as=${h5}`)).text();
    expect(page).toContain(`action="/sandbox/oa/users/${h5}/follow"`);
    expect(page).toContain(`action="/sandbox/mp/users/${h5}/login"`);
    expect(page).toContain(`<input type="hidden" name="openid" value="${h5}">`); // QR codes and cards made for them
  });

  it('a new openid typed in becomes the user the forms act as; a malformed one is refused', async () => {
    expect(await (await fetch(`${base}/?as=o_brand_new`)).text()).toContain(
      'action="/sandbox/oa/users/o_brand_new/text"',
    );
    const bad = await (await fetch(`${base}/?as=${encodeURIComponent('<b>x</b>')}`)).text();
    expect(bad).toContain('openid 只能含字母、数字、_ 和 -');
    expect(bad).not.toContain('<b>x</b>');
  });
});

describe('console: scene QR codes', () => {
  it('a ticket created from the console and scanned by a new user reaches the merchant as subscribe with the scene', async () => {
    received.length = 0;
    const created = await form('/sandbox/oa/qrcodes', {
      openid: 'o_console_scan',
      action_name: 'QR_LIMIT_STR_SCENE',
      scene: 'counter-2',
      expire_seconds: '',
    });
    const ticket = /data-ticket>([^<]+)</.exec(created.result)?.[1] ?? '';
    expect(ticket).toMatch(/^gQ/);
    expect(created.result).toContain('永久 permanent');
    // The page offers the scan as the chosen user; post that form.
    expect(created.result).toContain('action="/sandbox/oa/users/o_console_scan/follow"');
    const scanned = await form('/sandbox/oa/users/o_console_scan/follow', { ticket });
    expect(scanned.result).toContain('event:subscribe from o_console_scan');
    const push = received.find((r) => field(r.xml, 'FromUserName') === 'o_console_scan')!;
    expect(field(push.xml, 'Event')).toBe('subscribe');
    expect(field(push.xml, 'EventKey')).toBe('qrscene_counter-2');
    expect(field(push.xml, 'Ticket')).toBe(ticket);
    // Scanned again while following: SCAN with the bare scene value.
    await form('/sandbox/oa/users/o_console_scan/follow', { ticket });
    expect(field(received.at(-1)!.xml, 'Event')).toBe('SCAN');
    expect(field(received.at(-1)!.xml, 'EventKey')).toBe('counter-2');
  });

  it('creates each kind WeChat has, with its limits: temporary ones expire, permanent ids stop at 100000', async () => {
    const temp = await form('/sandbox/oa/qrcodes', { action_name: 'QR_SCENE', scene: '42', expire_seconds: '120' });
    expect(temp.result).toContain('120 秒 s');
    const str = await form('/sandbox/oa/qrcodes', {
      action_name: 'QR_STR_SCENE',
      scene: 'flyer-a',
      expire_seconds: '',
    });
    expect(str.result).toContain('60 秒 s'); // WeChat's default
    const tooBig = await form('/sandbox/oa/qrcodes', { action_name: 'QR_LIMIT_SCENE', scene: '100001' });
    expect(tooBig.status).toBe(400);
    expect(tooBig.result).toContain('errcode <b>47003</b>');
  });

  it('showqrcode serves a live ticket as an image and answers 404 for an unknown or expired one', async () => {
    const created = await form('/sandbox/oa/qrcodes', {
      action_name: 'QR_STR_SCENE',
      scene: 'table-9',
      expire_seconds: '60',
    });
    const ticket = /data-ticket>([^<]+)</.exec(created.result)?.[1] ?? '';
    const image = await fetch(`${base}/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    // A real code: a reader finds the ticket's URL (the one qrcode/create answers).
    const png = PNG.sync.read(Buffer.from(await image.arrayBuffer()));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toMatch(
      new RegExp(`^http://[^/]+/q/${ticket}$`),
    );

    const unknown = await fetch(`${base}/cgi-bin/showqrcode?ticket=gQnothing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      errcode: 40097,
      errmsg: expect.stringMatching(/^invalid args rid: /),
    });

    officialAccountSim(sandbox.ctx).store.update((s) => (s.qr[ticket].expiresAt = Date.now() - 1));
    expect((await fetch(`${base}/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`)).status).toBe(404);
    const scan = await json('/sandbox/oa/users/o_late_scan/follow', { ticket });
    expect(scan.status).toBe(404);
    expect(scan.body.error).toContain('expired');
    expect((await json('/sandbox/oa/followers')).body.followers.map((f: any) => f.openid)).not.toContain('o_late_scan');
  });
});

describe('console: menu and member cards', () => {
  it('a published menu shows as buttons the user taps: CLICK with the key, VIEW with the URL', async () => {
    const { access_token } = (
      await json('/cgi-bin/stable_token', {
        grant_type: 'client_credential',
        appid: oa.appId,
        secret: oa.secret,
      })
    ).body;
    await json(`/cgi-bin/menu/create?access_token=${access_token}`, {
      button: [
        { type: 'view', name: '逛逛', url: 'https://shop.example.com/' },
        { name: '我的', sub_button: [{ type: 'click', name: '联系店员', key: 'CONTACT' }] },
      ],
    });
    const page = await (await fetch(`${base}/?as=o_menu_user`)).text();
    expect(page).toContain('>逛逛</button>');
    await form('/sandbox/oa/users/o_menu_user/menu', { button: '1.0' });
    expect(field(received.at(-1)!.xml, 'Event')).toBe('CLICK');
    expect(field(received.at(-1)!.xml, 'EventKey')).toBe('CONTACT');
    await form('/sandbox/oa/users/o_menu_user/menu', { button: '0' });
    expect(field(received.at(-1)!.xml, 'Event')).toBe('VIEW');
    expect(field(received.at(-1)!.xml, 'EventKey')).toBe('https://shop.example.com/');
    expect((await form('/sandbox/oa/users/o_menu_user/menu', { button: '1' })).status).toBe(404);
  });

  it('a member card created from the console can be taken by the chosen user', async () => {
    const created = await form('/sandbox/cards/create', { openid: 'o_card_user', title: '茶友卡', brand_name: '茶铺' });
    const cardId = /会员卡已创建 Card created: <code>([^<]+)</.exec(created.result)?.[1] ?? '';
    expect(cardId).toMatch(/^p/);
    expect(created.location).toContain('as=o_card_user');
    expect(created.page).toContain(`<option value="${cardId}">茶友卡`);
    const taken = await form('/sandbox/cards/users/o_card_user/get', { cardId });
    expect(taken.status).toBe(200);
    expect((await json('/sandbox/cards/users/o_card_user/cards')).body.cards).toEqual([
      expect.objectContaining({ cardId, title: '茶友卡' }),
    ]);
  });
});
