import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import { ConflictError, NotFoundError, ValidationError } from '../../kernel/errors';
import type { CouponTemplateService } from './coupon-template.service';
import type { CouponService, IssueResult } from './coupon.service';

/** A refused issue as the API says it: an unknown template is a 404, anything else a 409. */
function issued(result: IssueResult) {
  if (result.ok) return result.coupon;
  if (result.reason === 'NO_SUCH_TEMPLATE') throw new NotFoundError('Coupon');
  throw new ConflictError(result.message);
}

export function couponRoutes(
  router: ContractRouter,
  templates: CouponTemplateService,
  coupons: CouponService,
  deps: {
    categoryOf(productId: string): Promise<{ categoryId: string | null } | null>;
    /** When the buyer signed up; null for an id that is no buyer. */
    registeredAt(buyerId: string): Promise<Date | null>;
  },
): void {
  router.handle(contract.adminListCouponTemplates, async ({ query }) => templates.list(query));
  router.handle(contract.adminGetCouponTemplate, async ({ params }) => templates.get(params.id));
  router.handle(contract.createCouponTemplate, async ({ ctx, principal, body }) =>
    templates.create(ctx, principal, body),
  );
  router.handle(contract.updateCouponTemplate, async ({ ctx, principal, params, body }) =>
    templates.update(ctx, principal, params.id, body),
  );
  router.handle(contract.publishCouponTemplate, async ({ ctx, principal, params }) =>
    templates.publish(ctx, principal, params.id),
  );
  router.handle(contract.stopCouponTemplate, async ({ ctx, principal, params }) =>
    templates.stop(ctx, principal, params.id),
  );
  router.handle(contract.staffIssueCoupon, async ({ ctx, principal, params, body }) => {
    // A pack's own template gives coupons only through the pack's grabs.
    await templates.assertStaffMayChange(params.id);
    if (!(await deps.registeredAt(body.buyerId)))
      throw new ValidationError([{ path: 'body.buyerId', message: 'no such buyer' }]);
    const result = await coupons.issue(ctx, {
      templateId: params.id,
      buyerId: body.buyerId,
      source: 'staff',
      sourceRef: `${principal.staffId}:${body.requestKey}`,
    });
    return issued(result);
  });

  router.handle(contract.claimCentre, async ({ principal }) => ({ items: await coupons.claimable(principal.buyerId) }));
  router.handle(contract.productCoupons, async ({ principal, params }) => {
    const product = await deps.categoryOf(params.id);
    if (!product) return { items: [] };
    return { items: await coupons.claimable(principal.buyerId, { productId: params.id, ...product }) };
  });
  router.handle(contract.claimCoupon, async ({ ctx, principal, params, body }) => {
    const coupon = issued(await coupons.claim(ctx, principal.buyerId, params.id, body.requestKey));
    const template = await templates.get(params.id);
    return {
      coupon,
      claimed: await coupons.received(principal.buyerId, params.id),
      perBuyerLimit: template.perBuyerLimit,
    };
  });
  router.handle(contract.myCoupons, async ({ principal, query }) => coupons.wallet(principal.buyerId, query));
  router.handle(contract.getMyCoupon, async ({ principal, params }) => {
    const c = await coupons.mine(principal.buyerId, params.id);
    if (!c) throw new NotFoundError('Coupon');
    return c;
  });
}
