/**
 * The demo shop's coupons, so `npm start` shows a claim centre: a claimable 满99减10, a
 * 无门槛减5 and 9折 on green tea, published. Fixed ids and insert-or-ignore: seeding again
 * never overwrites what a marketer changed.
 */
import type { CouponBenefit, CouponScope } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import { findProduct } from '../../catalog/sku-lookup';
import { CouponTemplateEntity } from '../coupon-template.entity';

const demo: {
  id: string;
  title: string;
  benefit: CouponBenefit;
  scope: CouponScope;
  days: number;
  stock: number;
  limit: number;
}[] = [
  {
    id: 'cpt_demo_full99',
    title: '满99减10',
    benefit: { kind: 'amount_off', amountOff: 1000, threshold: 9900 },
    scope: { type: 'shop' },
    days: 30,
    stock: 1000,
    limit: 1,
  },
  {
    id: 'cpt_demo_free5',
    title: '新客无门槛减5',
    benefit: { kind: 'no_threshold', amountOff: 500 },
    scope: { type: 'shop' },
    days: 7,
    stock: 500,
    limit: 1,
  },
  {
    id: 'cpt_demo_green90',
    title: '绿茶9折',
    benefit: { kind: 'percent_off', percentOff: 10, maxOff: 3000, threshold: 0 },
    scope: { type: 'categories', categoryIds: ['cat_greentea'] },
    days: 14,
    stock: 300,
    limit: 2,
  },
];

/**
 * Only into the demo shop (its Longjing is on the shelf) before any coupon exists: a
 * merchant's own shop, or one whose marketer has started on coupons, gets nothing.
 */
export async function seedDemoCoupons(db: DataSource, now = new Date()): Promise<void> {
  if (!(await findProduct(db.manager, 'prod_longjing'))) return;
  if ((await db.getRepository(CouponTemplateEntity).count()) > 0) return;
  await db
    .getRepository(CouponTemplateEntity)
    .createQueryBuilder()
    .insert()
    .values(
      demo.map((d) => ({
        id: d.id,
        title: d.title,
        benefit: d.benefit,
        scope: d.scope,
        validityKind: 'days' as const,
        validFrom: null,
        validUntil: null,
        validDays: d.days,
        totalStock: d.stock,
        issued: 0,
        used: 0,
        perBuyerLimit: d.limit,
        stacksWithMemberDiscount: false,
        claimable: true,
        status: 'PUBLISHED' as const,
        publishedAt: now,
        stoppedAt: null,
      })),
    )
    .orIgnore()
    .execute();
}
