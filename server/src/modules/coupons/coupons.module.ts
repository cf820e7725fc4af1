import { findProduct } from '../catalog/sku-lookup';
import type { AppModule, Kernel } from '../module';
import { CouponTemplateService } from './coupon-template.service';
import { CouponService } from './coupon.service';
import { COUPON_SWEEP_EVERY_MS, couponJobs } from './coupons.jobs';
import { couponRoutes } from './coupons.routes';

/**
 * Coupons: templates (the marketer's), the coupons buyers hold (the only writer of
 * coupon_templates, coupons and coupon_holdings), the checkout port orders lock through,
 * and the subscribers that consume, release and restore coupons as orders move.
 */
export function couponsModule(
  k: Kernel,
  deps: {
    /** The shop's setting: does a full refund give the coupon back? */
    restoreOnFullRefund: () => Promise<boolean>;
    registeredAt: (buyerId: string) => Promise<Date | null>;
  },
) {
  const couponTemplates = new CouponTemplateService(k.db);
  const coupons = new CouponService(k.db);
  const categoryOf = async (productId: string) => {
    const p = await findProduct(k.db.manager, productId);
    return p && p.published ? { categoryId: p.categoryId } : null;
  };
  return {
    name: 'coupons',
    services: { coupons, couponTemplates },
    routes: (api) => couponRoutes(api, couponTemplates, coupons, { categoryOf, registeredAt: deps.registeredAt }),
    jobs: [
      {
        queue: 'coupons',
        concurrency: 1,
        processor: couponJobs(coupons, k.log),
        schedules: [{ id: 'expiry-sweep', everyMs: COUPON_SWEEP_EVERY_MS }],
      },
    ],
    subscribe(on) {
      on.on('order.paid', 'consume-coupon', async ({ orderNo }) => {
        await coupons.consume({}, orderNo);
      });
      on.on('order.closed', 'release-coupon', async ({ orderId }) => {
        await coupons.release({}, orderId);
      });
      on.on('order.cancelled', 'release-coupon', async ({ orderId }) => {
        await coupons.release({}, orderId);
      });
      on.on('refund.succeeded', 'restore-coupon', async ({ orderId, orderStatus }) => {
        if (orderStatus === 'REFUNDED' && (await deps.restoreOnFullRefund())) await coupons.restore({}, orderId);
      });
    },
  } satisfies AppModule;
}
