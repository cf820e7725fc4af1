/**
 * Acceptance 4: a touchpoint's scene QR scanned in the sandbox → follow → the touchpoint's
 * welcome with its coupon → a first order attributed to the touchpoint; the printable PDF's
 * QR decodes (jsQR) to the ticket's URL. Also the stats series, temporary codes, the
 * mini-program code with the same scene, and stores nearest first. Sandbox in-process, real
 * MariaDB and Redis, the worker's events queue running the subscribers.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { createSandbox, type Sandbox } from '../../sandbox/src/app';
import { startJobs, type RunningJobs } from '../src/main/jobs';
import { chinaDay } from '../src/modules/touchpoints/touchpoint.service';
import { getJson, startStack, testConfig, type TestStack } from './support/harness';
import { api, makeStaff } from './support/people';

let sandbox: Sandbox;
let sandboxServer: http.Server;
let sb: string;
let stack: TestStack;
let jobs: RunningJobs;
let marketer: { auth: Record<string, string> };

beforeAll(async () => {
  sandbox = createSandbox({
    merchantBaseUrl: 'http://127.0.0.1:1',
    selfBaseUrl: 'http://127.0.0.1:0',
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-touchpoints-')),
    logLevel: 'silent',
  });
  sandboxServer = http.createServer(sandbox.app.callback());
  await new Promise<void>((r) => sandboxServer.listen(0, '127.0.0.1', r));
  sb = `http://127.0.0.1:${(sandboxServer.address() as AddressInfo).port}`;
  stack = await startStack({ config: testConfig({ WECHAT_API_BASE: sb }) });
  sandbox.ctx.merchantBaseUrl = stack.baseUrl;
  jobs = await startJobs(stack.app, { only: ['events'], relayIdleMs: 50 });
  marketer = await makeStaff(stack.db, 'marketer');
}, 60_000);
afterAll(async () => {
  await jobs?.stop();
  await stack.close();
  sandboxServer.closeAllConnections();
  await new Promise<void>((r) => sandboxServer.close(() => r()));
  await sandbox.close();
});

const sandboxPost = (p: string, body: unknown) =>
  getJson(`${sb}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const admin = (method: string, p: string, body?: unknown) => api(stack.baseUrl, method, p, marketer.auth, body);
async function download(p: string): Promise<{ status: number; type: string; bytes: Buffer }> {
  const res = await fetch(stack.baseUrl + p, { headers: marketer.auth });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const decodePng = (bytes: Buffer) => {
  const png = PNG.sync.read(bytes);
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
};

/**
 * The QR in the PDF: its grayscale image XObject, inflated (PNG rows behind a predictor byte
 * when /DecodeParms says so; this encoder writes filter 0 only), read by jsQR.
 */
function decodePdfQr(pdf: Buffer): string | undefined {
  const text = pdf.toString('latin1');
  const re = /<<([^]*?)>>\s*stream\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const dict = m[1];
    if (!dict.includes('/Subtype /Image') || !dict.includes('/DeviceGray')) continue;
    const width = Number(/\/Width (\d+)/.exec(dict)![1]);
    const height = Number(/\/Height (\d+)/.exec(dict)![1]);
    const length = Number(/\/Length (\d+)/.exec(dict)![1]);
    const predictor = dict.includes('/Predictor');
    const start = m.index + m[0].length;
    const gray = zlib.inflateSync(pdf.subarray(start, start + length));
    const stride = width + (predictor ? 1 : 0);
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let y = 0; y < height; y++) {
      if (predictor) expect(gray[y * stride]).toBe(0);
      for (let x = 0; x < width; x++) {
        const v = gray[y * stride + (predictor ? 1 : 0) + x];
        rgba.set([v, v, v, 255], (y * width + x) * 4);
      }
    }
    return jsQR(rgba, width, height)?.data;
  }
  return undefined;
}

describe('a table’s QR code, from scan to first order', () => {
  let tp: { id: string; qrUrl: string; qrTicket: string; scene: string };
  let templateId: string;

  it('the touchpoint gets a permanent scene QR whose printable PNG and A6 PDF decode to the ticket’s URL', async () => {
    const created = await admin('POST', '/api/admin/touchpoints', { kind: 'table', name: '3 号桌', qr: 'permanent' });
    expect(created.status).toBe(200);
    tp = created.body;
    expect(tp.scene).toBe(tp.id);
    expect(created.body.qrExpiresAt).toBeNull();
    const tickets = (await getJson(`${sb}/sandbox/oa/qrcodes`)).body.tickets as {
      ticket: string;
      action: string;
      scene: string;
    }[];
    expect(tickets.find((t) => t.ticket === tp.qrTicket)).toMatchObject({ action: 'QR_LIMIT_STR_SCENE', scene: tp.id });

    const pdf = await download(`/api/admin/touchpoints/${tp.id}/card.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.bytes.toString('latin1')).toMatch(/\/MediaBox \[0 0 297\.6\d* 419\.5\d*\]/); // A6
    expect(decodePdfQr(pdf.bytes)).toBe(tp.qrUrl);

    const png = await download(`/api/admin/touchpoints/${tp.id}/qr.png`);
    expect(png.type).toBe('image/png');
    expect(decodePng(png.bytes)).toBe(tp.qrUrl);
  }, 60_000);

  it('the mini-program code carries the same scene', async () => {
    const code = await download(`/api/admin/touchpoints/${tp.id}/wxacode.png?page=pages/index/index`);
    expect(code.status).toBe(200);
    expect(decodePng(code.bytes)).toBe(`pages/index/index?scene=${tp.id}`);
  }, 60_000);

  it('scanning follows, attributes the follower to the touchpoint, and sends its welcome with its coupon', async () => {
    const tpl = await admin('POST', '/api/admin/coupon-templates', {
      title: '到店新人券',
      benefit: { kind: 'no_threshold', amountOff: 500 },
      scope: { type: 'shop' },
      validity: { kind: 'days', days: 7 },
      totalStock: 100,
      perBuyerLimit: 1,
      stacksWithMemberDiscount: false,
      claimable: false,
    });
    templateId = tpl.body.id;
    expect((await admin('POST', `/api/admin/coupon-templates/${templateId}/publish`)).body.status).toBe('PUBLISHED');
    const welcome = await admin('PUT', `/api/admin/touchpoints/${tp.id}/welcome`, {
      reply: { type: 'text', text: '欢迎光临 3 号桌，扫桌上的码即可点单' },
      couponTemplateId: templateId,
    });
    expect(welcome.body).toMatchObject({ touchpointId: tp.id, couponTemplateId: templateId });

    // The guest has used the shop's mini-program before (the same person: one unionid).
    const openid = 'oGuestTable3';
    const code = (await sandboxPost(`/sandbox/mp/users/${openid}/login`, {})).body.code;
    const login = await api(stack.baseUrl, 'POST', '/api/auth/login', {}, { code });
    expect(login.status).toBe(200);
    const buyer = { id: login.body.buyer.id as string, auth: { authorization: `Bearer ${login.body.accessToken}` } };

    const scan = await sandboxPost(`/sandbox/oa/users/${openid}/follow`, { ticket: tp.qrTicket });
    expect(scan.body.pushed.sent).toContain(`qrscene_${tp.id}`);
    expect(scan.body.pushed.reply.kind).toBe('text');
    expect(scan.body.pushed.reply.content).toContain('欢迎光临 3 号桌');
    expect(scan.body.pushed.reply.content).toContain('到店新人券');
    const inbox = (await getJson(`${sb}/sandbox/oa/users/${openid}/inbox`)).body.messages as { content: string }[];
    expect(inbox.some((m) => m.content.includes('欢迎光临 3 号桌'))).toBe(true);

    const follower = await stack.app.services.followers.get(openid);
    expect(follower).toMatchObject({ touchpointId: tp.id, buyerId: buyer.id, subscribed: true });
    const coupons = await api(stack.baseUrl, 'GET', '/api/coupons', buyer.auth);
    const mine = (coupons.body.items as { templateId: string }[]).filter((c) => c.templateId === templateId);
    expect(mine).toHaveLength(1);

    // Scanning again as a follower: a SCAN, the welcome again, no second coupon.
    const again = await sandboxPost(`/sandbox/oa/users/${openid}/follow`, { ticket: tp.qrTicket });
    expect(again.body.pushed.sent).toContain('SCAN');
    expect(again.body.pushed.reply.content).toContain('欢迎光临 3 号桌');
    const after = await api(stack.baseUrl, 'GET', '/api/coupons', buyer.auth);
    expect((after.body.items as { templateId: string }[]).filter((c) => c.templateId === templateId)).toHaveLength(1);

    // The first paid order counts for the touchpoint, once; a second one does not.
    const orders = stack.app.services.orders;
    const address = await api(stack.baseUrl, 'POST', '/api/addresses', buyer.auth, {
      recipient: '李四',
      phone: '13900139000',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '湖滨路 3 号',
      isDefault: true,
    });
    const place = (key: string) =>
      orders.place({}, buyer.id, {
        clientKey: key,
        items: [{ skuId: 'sku_dianhong1', quantity: 1 }],
        addressId: address.body.id,
      });
    const first = await place('tp-first');
    expect(await orders.markPaid({}, first.orderNo, first.price.payable, new Date())).toEqual({ ok: true });
    const second = await place('tp-second');
    expect(await orders.markPaid({}, second.orderNo, second.price.payable, new Date())).toEqual({ ok: true });

    const listed = await until(
      async () => (await admin('GET', '/api/admin/touchpoints')).body.items.find((i: { id: string }) => i.id === tp.id),
      (t) => t?.stats.firstOrders >= 1 && t?.stats.scans >= 2,
    );
    expect(listed.stats).toEqual({ scans: 2, newFollowers: 1, firstOrders: 1, gmv: first.price.payable });
    await new Promise((r) => setTimeout(r, 500)); // the second order's event has been handled by now
    expect((await stack.app.services.touchpoints.firstOrders(tp.id)).map((o) => o.orderNo)).toEqual([first.orderNo]);
    const topics = (await stack.db.query(
      "SELECT event_key FROM outbox_events WHERE topic = 'touchpoint.first_order'",
    )) as {
      event_key: string;
    }[];
    expect(topics).toEqual([{ event_key: buyer.id }]);

    const today = chinaDay(new Date());
    const yesterday = chinaDay(new Date(Date.now() - 86_400_000));
    const stats = await admin('GET', `/api/admin/touchpoints/${tp.id}/stats?from=${yesterday}&to=${today}`);
    expect(stats.body.days).toEqual([
      { date: yesterday, scans: 0, newFollowers: 0, firstOrders: 0, gmv: 0 },
      { date: today, scans: 2, newFollowers: 1, firstOrders: 1, gmv: first.price.payable },
    ]);
  }, 60_000);
  it('racing attributions of two paid orders of one buyer, in any order, record the earlier one once with one event', async () => {
    const openid = 'oGuestTable3Race';
    const code = (await sandboxPost(`/sandbox/mp/users/${openid}/login`, {})).body.code;
    const login = await api(stack.baseUrl, 'POST', '/api/auth/login', {}, { code });
    const buyer = { id: login.body.buyer.id as string, auth: { authorization: `Bearer ${login.body.accessToken}` } };
    await sandboxPost(`/sandbox/oa/users/${openid}/follow`, { ticket: tp.qrTicket });
    const address = await api(stack.baseUrl, 'POST', '/api/addresses', buyer.auth, {
      recipient: '王五',
      phone: '13700137000',
      province: '浙江省',
      city: '杭州市',
      detail: '南山路 5 号',
    });
    const orders = stack.app.services.orders;
    const paid: string[] = [];
    for (const key of ['race-a', 'race-b']) {
      const o = await orders.place({}, buyer.id, {
        clientKey: key,
        items: [{ skuId: 'sku_dianhong1', quantity: 1 }],
        addressId: address.body.id,
      });
      expect(await orders.markPaid({}, o.orderNo, o.price.payable, new Date())).toEqual({ ok: true });
      paid.push(o.orderNo);
    }
    const touchpoints = stack.app.services.touchpoints;
    // The later order's event handled first attributes nothing: the earliest paid order counts.
    expect(await touchpoints.attributeOrder(paid[1])).toBe(false);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => touchpoints.attributeOrder(paid[i % 2])));
    expect(results.filter(Boolean).length).toBeLessThanOrEqual(1); // the events worker may have won
    const rows = await until(
      async () => (await touchpoints.firstOrders(tp.id)).filter((r) => r.buyerId === buyer.id),
      (r) => r.length >= 1,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].orderNo).toBe(paid[0]);
    const events = (await stack.db.query(
      "SELECT COUNT(*) AS n FROM outbox_events WHERE topic = 'touchpoint.first_order' AND event_key = ?",
      [buyer.id],
    )) as { n: number }[];
    expect(Number(events[0].n)).toBe(1);
  }, 60_000);
});

describe('temporary codes and input', () => {
  it('a temporary code expires after its days (at most 30); 31 days or a store without coordinates is refused', async () => {
    const flyer = await admin('POST', '/api/admin/touchpoints', {
      kind: 'flyer',
      name: '双十二传单',
      qr: 'temporary',
      expireDays: 30,
    });
    expect(flyer.status).toBe(200);
    const left = Date.parse(flyer.body.qrExpiresAt) - Date.now();
    expect(left).toBeGreaterThan(29.9 * 86_400_000);
    expect(left).toBeLessThanOrEqual(30 * 86_400_000);
    const tickets = (await getJson(`${sb}/sandbox/oa/qrcodes`)).body.tickets as { ticket: string; action: string }[];
    expect(tickets.find((t) => t.ticket === flyer.body.qrTicket)?.action).toBe('QR_STR_SCENE');
    const tooLong = await admin('POST', '/api/admin/touchpoints', {
      kind: 'flyer',
      name: 'x',
      qr: 'temporary',
      expireDays: 31,
    });
    expect(tooLong.status).toBe(400);
    const noPlace = await admin('POST', '/api/admin/touchpoints', { kind: 'store', name: '西湖店' });
    expect(noPlace.status).toBe(400);
    expect(JSON.stringify(noPlace.body.fields)).toContain('store');
    const clerk = await makeStaff(stack.db, 'clerk');
    expect((await api(stack.baseUrl, 'GET', '/api/admin/touchpoints', clerk.auth)).status).toBe(403);
  });
});

describe('门店 Stores page', () => {
  it('lists stores nearest first from a point, with hours and phone', async () => {
    const store = (name: string, latitude: number, longitude: number) =>
      admin('POST', '/api/admin/touchpoints', {
        kind: 'store',
        name,
        store: { address: `${name}地址`, latitude, longitude, hours: '10:00–22:00', phone: '0571-88888888' },
      });
    await store('西湖店', 30.2591, 120.1483);
    await store('滨江店', 30.2084, 120.2108);
    await store('上海店', 31.2304, 121.4737);
    // Near the West Lake.
    const near = await api(stack.baseUrl, 'GET', '/api/stores?lat=30.2600&lng=120.1500', {});
    expect(near.status).toBe(200);
    expect(near.body.items.map((s: { name: string }) => s.name)).toEqual(['西湖店', '滨江店', '上海店']);
    expect(near.body.items[0].distanceM).toBeLessThan(300);
    expect(near.body.items[2].distanceM).toBeGreaterThan(150_000);
    expect(near.body.items[0]).toMatchObject({ hours: '10:00–22:00', phone: '0571-88888888' });
    // From Shanghai the order turns round.
    const far = await api(stack.baseUrl, 'GET', '/api/stores?lat=31.23&lng=121.47&limit=1', {});
    expect(far.body.items.map((s: { name: string }) => s.name)).toEqual(['上海店']);
    expect((await api(stack.baseUrl, 'GET', '/api/stores?lat=91&lng=0', {})).status).toBe(400);
  });
});
