/**
 * The membership SQL is portable: programme, points in lots with FIFO debits and expiry,
 * stored value in parts, the counter's sale and payment, the liability report and an order
 * that takes points and balance and gives them back when cancelled, on SQLite (the database
 * `npm start` uses; concurrency is proven on MariaDB).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { defaultShippingRule, newId } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/main/data-source';
import { AddressEntity } from '../src/modules/addresses/address.entity';
import { BuyerEntity } from '../src/modules/auth/buyer.entity';
import { seedDemoShop } from '../src/modules/catalog/seed/demo-shop';
import { MemberCheckoutService } from '../src/modules/membership/checkout.service';
import { CounterService } from '../src/modules/membership/counter.service';
import { makeMemberCode } from '../src/modules/membership/member-code';
import { MemberEntity } from '../src/modules/membership/membership.entity';
import { PointsService } from '../src/modules/membership/points.service';
import { defaultProgramme, ProgrammeService } from '../src/modules/membership/programme.service';
import { WalletService } from '../src/modules/membership/wallet.service';
import { OrderService } from '../src/modules/orders/order.service';
import { createLogger } from '../src/kernel/logger';
import type { WechatPay } from '../src/wechat/pay/wechat-pay';

let db: DataSource;
const owner = { kind: 'staff', staffId: 'staff_owner', role: 'owner', sessionId: 's' } as const;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chatmall-sqlite-membership-'));
  db = createDataSource({ db: { url: `sqlite:${path.join(dir, 'db.sqlite')}`, poolSize: 1, connectTimeoutMs: 2000 } });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  await seedDemoShop(db, path.join(dir, 'media'));
});
afterAll(async () => db?.destroy());

it('points, stored value, the counter and an order paid with both work on SQLite', async () => {
  const programme = new ProgrammeService(db);
  await programme.save({}, owner, { ...defaultProgramme, enabled: true });
  const points = new PointsService(db, programme);
  // No top-up runs here: WeChat Pay is never called on this path.
  const wallet = new WalletService({
    db,
    programme,
    wechatPay: undefined as unknown as WechatPay,
    openidOf: async () => null,
    shopName: async () => 'shop',
    log: createLogger('silent', 'test'),
  });
  const counter = new CounterService(db, { programme, points, wallet });
  const checkout = new MemberCheckoutService(db, { programme, wallet, changed: async () => undefined });

  const buyerId = newId('buyer');
  await db
    .getRepository(BuyerEntity)
    .insert({ id: buyerId, openid: `o_${buyerId}`, unionid: null, nickname: 'x', lastLoginAt: new Date() });
  const addressId = newId('address');
  await db.getRepository(AddressEntity).insert({
    id: addressId,
    buyerId,
    recipient: '张三',
    phone: '13800138000',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: '龙井路 1 号',
    isDefault: true,
  });
  const memberId = newId('member');
  await db.getRepository(MemberEntity).insert({
    id: memberId,
    buyerId,
    memberNo: '1234567890',
    phone: '13800138000',
    name: null,
    levelIndex: 0,
    codeSecret: randomBytes(32).toString('hex'),
    cardStatus: 'NONE',
  });
  const row = () => db.getRepository(MemberEntity).findOneByOrFail({ id: memberId });

  await points.adjust(
    {},
    owner,
    memberId,
    { delta: 300, reason: 'a', requestKey: 'sqlite-a-1' },
    new Date('2026-02-01T00:00:00Z'),
  );
  await points.adjust(
    {},
    owner,
    memberId,
    { delta: 200, reason: 'b', requestKey: 'sqlite-b-1' },
    new Date('2027-02-01T00:00:00Z'),
  );
  await points.adjust({}, owner, memberId, { delta: -100, reason: 'c', requestKey: 'sqlite-c-1' });
  expect(await points.expire(new Date('2028-01-02T00:00:00Z'))).toBe(200);
  expect(await points.expire(new Date('2028-01-02T00:00:00Z'))).toBe(0);
  expect((await row()).points).toBe(200);

  await wallet.apply({}, memberId, {
    kind: 'TOP_UP',
    principal: 10_000,
    bonus: 1_000,
    sourceKey: 'topup:x',
    record: 'x',
  });
  const sale = await counter.purchase({}, owner, {
    code: makeMemberCode(await row()).code,
    amount: 5_000,
    requestId: 'sqlite-sale-1',
  });
  expect(sale.pointsEarned).toBe(50);
  const pay = await counter.payment({}, owner, {
    code: makeMemberCode(await row()).code,
    amount: 1_100,
    requestId: 'sqlite-pay-1',
  });
  expect(pay.paid).toBe(1_100);
  expect(await wallet.liability()).toMatchObject({
    ledger: { principal: 9_000, bonus: 900 },
    cached: { total: 9_900 },
  });

  const orders = new OrderService(
    db,
    { orders: { paymentWindowMs: 900_000, autoCompleteMs: 864_000_000 } } as never,
    async () => defaultShippingRule,
    undefined,
    checkout,
  );
  const order = await orders.place({}, buyerId, {
    clientKey: 'sqlite-order-1',
    items: [{ skuId: 'sku_jinjunmei1', quantity: 3 }], // ¥264: more than points and balance cover
    addressId,
    points: 'max',
    useBalance: true,
  });
  expect(order.status).toBe('PENDING_PAYMENT');
  const taken = await row();
  expect([taken.points, taken.balancePrincipal, taken.balanceBonus]).toEqual([0, 0, 0]);
  await orders.cancel({}, buyerId, order.id);
  expect(await checkout.restore({}, order.orderNo)).toBe(2);
  expect(await checkout.restore({}, order.orderNo)).toBe(0);
  const back = await row();
  expect([back.points, back.balancePrincipal, back.balanceBonus]).toEqual([250, 9_000, 900]);
});
