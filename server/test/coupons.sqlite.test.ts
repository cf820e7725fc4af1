/**
 * The coupons' SQL is portable: claim, wallet, checkout lock, consume, release, restore and
 * expiry on SQLite, the database `npm start` uses (concurrency is proven on MariaDB).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newId } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/main/data-source';
import { AddressEntity } from '../src/modules/addresses/address.entity';
import { BuyerEntity } from '../src/modules/auth/buyer.entity';
import { seedDemoShop } from '../src/modules/catalog/seed/demo-shop';
import { CouponEntity } from '../src/modules/coupons/coupon.entity';
import { CouponService } from '../src/modules/coupons/coupon.service';
import { seedDemoCoupons } from '../src/modules/coupons/seed/demo-coupons';
import { OrderService } from '../src/modules/orders/order.service';
import { defaultShippingRule } from '@chatmall/shared';

let db: DataSource;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chatmall-sqlite-coupons-'));
  db = createDataSource({ db: { url: `sqlite:${path.join(dir, 'db.sqlite')}`, poolSize: 1, connectTimeoutMs: 2000 } });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  await seedDemoShop(db, path.join(dir, 'media'));
  await seedDemoCoupons(db);
  await seedDemoCoupons(db);
});
afterAll(async () => db?.destroy());

async function buyer(): Promise<{ id: string; addressId: string }> {
  const id = newId('buyer');
  await db
    .getRepository(BuyerEntity)
    .insert({ id, openid: `o_${id}`, unionid: null, nickname: 'x', lastLoginAt: new Date() });
  const addressId = newId('address');
  await db.getRepository(AddressEntity).insert({
    id: addressId,
    buyerId: id,
    recipient: '张三',
    phone: '13800138000',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: '龙井路 1 号',
    isDefault: true,
  });
  return { id, addressId };
}

it('claim, checkout, release, consume, restore and expiry work on SQLite', async () => {
  const coupons = new CouponService(db);
  const orders = new OrderService(
    db,
    { orders: { paymentWindowMs: 900_000, autoCompleteMs: 864_000_000 } } as never,
    async () => defaultShippingRule,
    coupons,
  );
  const b = await buyer();
  expect((await coupons.claimable(b.id)).map((c) => c.templateId).sort()).toEqual([
    'cpt_demo_free5',
    'cpt_demo_full99',
    'cpt_demo_green90',
  ]);
  const claimed = await coupons.claim({}, b.id, 'cpt_demo_green90', 'sqlite-claim-1');
  const again = await coupons.claim({}, b.id, 'cpt_demo_green90', 'sqlite-claim-1');
  expect(claimed.ok && again.ok && again.duplicate && again.coupon.id === claimed.coupon.id).toBe(true);
  if (!claimed.ok) throw new Error('not claimed');
  const couponId = claimed.coupon.id;
  expect((await coupons.wallet(b.id, { tab: 'usable', limit: 10 })).items.map((c) => c.id)).toEqual([couponId]);

  // 9折 on green tea, at most ¥30: ¥128 of Longjing takes ¥12.80 off.
  const preview = await orders.preview(b.id, [{ skuId: 'sku_longjing2', quantity: 1 }]);
  expect([preview.coupon?.couponId, preview.couponDiscount]).toEqual([couponId, 1280]);
  const placed = await orders.place({}, b.id, {
    clientKey: 'sqlite-order-1',
    items: [{ skuId: 'sku_longjing2', quantity: 1 }],
    addressId: b.addressId,
  });
  expect(placed.coupon).toEqual({ couponId, discount: 1280 });
  expect((await db.getRepository(CouponEntity).findOneByOrFail({ id: couponId })).status).toBe('LOCKED');
  expect(await coupons.release({}, placed.id)).toBe(true);
  expect((await db.getRepository(CouponEntity).findOneByOrFail({ id: couponId })).status).toBe('USABLE');

  const second = await orders.place({}, b.id, {
    clientKey: 'sqlite-order-2',
    items: [{ skuId: 'sku_longjing2', quantity: 1 }],
    addressId: b.addressId,
    coupon: { couponId },
  });
  expect(await orders.markPaid({}, second.orderNo, second.price.payable, new Date())).toEqual({ ok: true });
  expect(await coupons.consume({}, second.orderNo)).toBe(true);
  expect(await coupons.consume({}, second.orderNo)).toBe(false);
  expect(await coupons.restore({}, second.id)).toBe(true);
  expect((await db.getRepository(CouponEntity).findOneByOrFail({ id: couponId })).status).toBe('USABLE');

  await db.getRepository(CouponEntity).update({ id: couponId }, { validUntil: new Date(Date.now() + 3_600_000) });
  expect(await coupons.remindExpiring()).toBe(1);
  expect(await coupons.remindExpiring()).toBe(0);
  expect(await coupons.expire(new Date(Date.now() + 7_200_000))).toBe(1);
  expect((await coupons.wallet(b.id, { tab: 'expired', limit: 10 })).counts).toEqual({
    usable: 0,
    used: 0,
    expired: 1,
  });
});
