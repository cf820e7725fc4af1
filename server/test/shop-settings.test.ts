/**
 * Shop settings against the real MariaDB: the owner reads and changes them (exactly the
 * fields named, audited in the same transaction), other roles are refused, bad input is a
 * 400 naming the field and changes nothing, and the storefront's client config shows a
 * change at once while other processes' caches catch up within their few seconds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataSource } from '../src/main/data-source';
import { startStack, type TestStack } from './support/harness';
import { api, makeBuyer, makeStaff } from './support/people';
import { AuditLogEntity } from '../src/modules/auth/audit-log.entity';
import type { StaffPrincipal } from '../src/modules/auth/principal';
import { seedDemoShop } from '../src/modules/catalog/seed/demo-shop';
import { ShopSettingsEntity } from '../src/modules/shop/shop-settings.entity';
import { fallbackShop, SHOP_ID, ShopSettingsService } from '../src/modules/shop/shop-settings.service';

const PATH = '/api/admin/shop-settings';
const seeded = {
  name: '茶与点心',
  nameEn: 'Tea & Snacks',
  logo: '/media/demo/shop_logo.svg',
  servicePhone: '400-800-1234',
  shipping: { flatFee: 1000, freeOver: 9900 },
  restoreCouponOnFullRefund: true,
};

let stack: TestStack;
let owner: { id: string; auth: { authorization: string } };
let marketer: { auth: { authorization: string } };
let clerk: { auth: { authorization: string } };
let buyer: { auth: { authorization: string } };

const settingsAudits = () =>
  stack.db.getRepository(AuditLogEntity).find({ where: { entity: 'shop_settings' }, order: { createdAt: 'ASC' } });
const patch = (body: unknown, auth = owner.auth) => api(stack.baseUrl, 'PATCH', PATH, auth, body);
const read = async () => (await api(stack.baseUrl, 'GET', PATH, owner.auth)).body;
const ownerActor = (): StaffPrincipal => ({ kind: 'staff', staffId: owner.id, role: 'owner', sessionId: 'test' });

beforeAll(async () => {
  stack = await startStack();
  owner = await makeStaff(stack.db, 'owner');
  marketer = await makeStaff(stack.db, 'marketer');
  clerk = await makeStaff(stack.db, 'clerk');
  buyer = await makeBuyer(stack.db, 'shopper');
}, 60_000);
afterAll(async () => stack?.close());

describe('shop settings', () => {
  it('the demo shop seeds them once, and the owner reads them', async () => {
    const res = await api(stack.baseUrl, 'GET', PATH, owner.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...seeded, updatedAt: expect.any(String) });
    expect(Number.isNaN(Date.parse(res.body.updatedAt))).toBe(false);
  });

  it('seeding again leaves the settings as they are, and the seeded logo is served', async () => {
    await patch({ servicePhone: '13800138000' });
    await seedDemoShop(stack.db, stack.config.mediaDir);
    expect((await read()).servicePhone).toBe('13800138000');
    await patch({ servicePhone: seeded.servicePhone });
    const logo = await fetch(stack.baseUrl + seeded.logo);
    expect(logo.status).toBe(200);
    expect(await logo.text()).toContain('Tea &#38; Snacks');
    await stack.db.getRepository(AuditLogEntity).delete({ entity: 'shop_settings' });
  });

  it('refuses marketers, clerks and buyers (403), and anonymous callers (401)', async () => {
    for (const who of [marketer, clerk, buyer]) {
      expect((await api(stack.baseUrl, 'GET', PATH, who.auth)).status).toBe(403);
      expect((await patch({ name: '被改了' }, who.auth)).status).toBe(403);
    }
    expect((await api(stack.baseUrl, 'GET', PATH)).status).toBe(401);
    expect((await read()).name).toBe(seeded.name);
    expect(await settingsAudits()).toEqual([]);
  });

  it('a patch changes exactly the fields it names, with one audit entry saying from → to', async () => {
    const before = await read();
    const res = await patch({ name: '新茶铺', shipping: { freeOver: 12_800 } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...seeded,
      name: '新茶铺',
      shipping: { flatFee: 1000, freeOver: 12_800 },
      updatedAt: expect.any(String),
    });
    expect(await read()).toEqual(res.body);
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));

    const audits = await settingsAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorId: owner.id,
      actorRole: 'owner',
      action: 'shop.settings',
      entityId: SHOP_ID,
      detail: { name: { from: '茶与点心', to: '新茶铺' }, shippingFreeOver: { from: 9900, to: 12_800 } },
    });
    // The owner sees it in the audit log too.
    const log = await api(stack.baseUrl, 'GET', '/api/admin/audit', owner.auth);
    expect(log.body.items[0]).toMatchObject({ action: 'shop.settings', entity: 'shop_settings' });
  });

  it('clears optional fields with null, and `{}` or an unchanged value writes nothing', async () => {
    const cleared = await patch({ nameEn: null, servicePhone: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ name: '新茶铺', nameEn: null, servicePhone: null, logo: seeded.logo });
    const audits = (await settingsAudits()).length;

    const empty = await patch({});
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual(cleared.body);
    const same = await patch({ name: '新茶铺', shipping: { flatFee: 1000 } });
    expect(same.status).toBe(200);
    expect(same.body).toEqual(cleared.body);
    expect(await settingsAudits()).toHaveLength(audits);
  });

  it('answers bad input with 400 naming the field, and changes nothing', async () => {
    const before = await read();
    const audits = (await settingsAudits()).length;
    const cases: [unknown, string][] = [
      [null, 'body'],
      [{ name: '' }, 'body.name'],
      [{ name: null }, 'body.name'],
      [{ name: '店'.repeat(41) }, 'body.name'],
      [{ shipping: { flatFee: 9.5 } }, 'body.shipping.flatFee'],
      [{ shipping: { flatFee: -1 } }, 'body.shipping.flatFee'],
      [{ shipping: { flatFee: 100_001 } }, 'body.shipping.flatFee'],
      [{ shipping: { flatFee: '1000' } }, 'body.shipping.flatFee'],
      [{ shipping: { freeOver: 0 } }, 'body.shipping.freeOver'],
      [{ shipping: null }, 'body.shipping'],
      [{ logo: 'javascript:alert(1)' }, 'body.logo'],
      [{ servicePhone: '请致电' }, 'body.servicePhone'],
      [{ nmae: '拼错了' }, 'body'],
      // A valid field beside a bad one: the whole patch is refused.
      [{ name: '半个改动', shipping: { freeOver: -5 } }, 'body.shipping.freeOver'],
    ];
    for (const [body, path] of cases) {
      const res = await patch(body);
      expect([body, res.status, res.body.code]).toEqual([body, 400, 'VALIDATION_FAILED']);
      expect([body, res.body.fields.map((f: { path: string }) => f.path)]).toEqual([body, [path]]);
    }
    expect(await read()).toEqual(before);
    expect(await settingsAudits()).toHaveLength(audits);
  });

  it('the storefront’s client config shows a change at once', async () => {
    const first = await api(stack.baseUrl, 'GET', '/api/client-config');
    expect(first.status).toBe(200);
    expect(first.body.shop).toEqual({
      name: '新茶铺',
      nameEn: null,
      logo: seeded.logo,
      servicePhone: null,
      shipping: { flatFee: 1000, freeOver: 12_800 },
    });
    expect(first.body).toHaveProperty('wechatSandboxUrl');

    await patch({ name: '茶与点心', nameEn: 'Tea & Snacks', shipping: { flatFee: 800 } });
    const next = await api(stack.baseUrl, 'GET', '/api/client-config');
    expect(next.body.shop).toMatchObject({ name: '茶与点心', nameEn: 'Tea & Snacks', shipping: { flatFee: 800 } });
  });

  it('two owners changing different fields at once both land, each audited', async () => {
    const audits = (await settingsAudits()).length;
    const [a, b] = await Promise.all([
      patch({ servicePhone: '0571-8888 6666' }),
      patch({ logo: '/media/shop/logo.png' }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await read()).toMatchObject({ servicePhone: '0571-8888 6666', logo: '/media/shop/logo.png' });
    expect(await settingsAudits()).toHaveLength(audits + 2);
  });
});

describe('ShopSettingsService', () => {
  it('serves reads from its cache for a few seconds; its own update clears the cache at once', async () => {
    let now = 1_000_000;
    const service = new ShopSettingsService(stack.db, { ttlMs: 5_000, now: () => now });
    const name = (await service.get()).name;

    // Another process changes the row: this one keeps its read until the cache expires.
    await stack.db.getRepository(ShopSettingsEntity).update({ id: SHOP_ID }, { name: '别的进程改的' });
    now += 4_000;
    expect((await service.get()).name).toBe(name);
    now += 1_001;
    expect((await service.get()).name).toBe('别的进程改的');

    // Its own change is seen on the very next read, before any expiry.
    await service.update({}, ownerActor(), { name: '茶与点心' });
    expect((await service.get()).name).toBe('茶与点心');
  });

  it('concurrent readers share one query', async () => {
    const service = new ShopSettingsService(stack.db);
    const [a, b, c] = await Promise.all([service.get(), service.get(), service.get()]);
    expect(a).toBe(b);
    expect(b).toBe(c);
  });

  it('refuses a non-owner even when called directly', async () => {
    const service = new ShopSettingsService(stack.db);
    await expect(
      service.update({}, { kind: 'staff', staffId: 'x', role: 'marketer', sessionId: 's' }, { name: '越权' }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('a shop without a settings row reads the fallback, and the first update creates the row', async () => {
    await stack.db.getRepository(ShopSettingsEntity).delete({ id: SHOP_ID });
    const service = new ShopSettingsService(stack.db);
    expect(await service.get()).toEqual({ ...fallbackShop, updatedAt: new Date(0).toISOString() });
    const after = await service.update({}, ownerActor(), { shipping: { flatFee: 0 } });
    expect(after).toMatchObject({ name: fallbackShop.name, shipping: { flatFee: 0, freeOver: 9900 } });
    expect(await stack.db.getRepository(ShopSettingsEntity).countBy({ id: SHOP_ID })).toBe(1);
  });

  it('joins the caller’s transaction: a rollback leaves neither the change nor its audit entry', async () => {
    const service = new ShopSettingsService(stack.db);
    const before = await service.get();
    const audits = (await settingsAudits()).length;
    await expect(
      stack.db.transaction(async (tx) => {
        await service.update({ tx }, ownerActor(), { name: '回滚了' });
        throw new Error('the caller fails after the change');
      }),
    ).rejects.toThrow('the caller fails');
    expect((await service.get()).name).toBe(before.name);
    expect(await settingsAudits()).toHaveLength(audits);
  });
});

describe('on SQLite (the database `npm start` uses)', () => {
  it('seeds, reads, creates a missing row and patches alike', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chatmall-sqlite-shop-'));
    const db = createDataSource({
      db: { url: `sqlite:${path.join(dir, 'db.sqlite')}`, poolSize: 1, connectTimeoutMs: 2000 },
    });
    await db.initialize();
    try {
      await db.runMigrations({ transaction: 'each' });
      const service = new ShopSettingsService(db, { ttlMs: 0 });
      expect((await service.get()).name).toBe(fallbackShop.name);
      await service.update({}, ownerActor(), { name: '小店' });
      expect(await service.get()).toMatchObject({ name: '小店', shipping: fallbackShop.shipping });
      await db.getRepository(ShopSettingsEntity).delete({ id: SHOP_ID });
      await seedDemoShop(db, path.join(dir, 'media'));
      expect(await service.get()).toMatchObject(seeded);
      const changed = await service.update({}, ownerActor(), { shipping: { freeOver: null } });
      expect(changed).toMatchObject({ name: '茶与点心', shipping: { flatFee: 1000, freeOver: null } });
      expect(Date.parse(changed.updatedAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(await db.getRepository(AuditLogEntity).countBy({ entity: 'shop_settings' })).toBe(2);
    } finally {
      await db.destroy();
    }
  });
});
