/**
 * What the red-envelope module asks of other modules, through their services (never their
 * tables): coupon templates and issuing (coupons), buyers' openids (auth), paid orders (orders).
 */
import type { BuyerCoupon, CouponTemplate, CouponTemplateInput, CouponTemplateOrigin } from '@chatmall/shared';
import type { z } from 'zod';
import type { Ctx } from '../../kernel/tx';
import type { SystemActor } from '../auth/audit.service';
import type { StaffPrincipal } from '../auth/principal';
import type { IssueRequest, IssueResult } from '../coupons/coupon.service';

export interface CouponPort {
  couponTemplates: {
    /** Joins `ctx.tx`: the pack's template is written in the pack's transaction. */
    create(
      ctx: Ctx,
      actor: StaffPrincipal,
      input: z.output<typeof CouponTemplateInput>,
      now: Date,
      opts: { origin: CouponTemplateOrigin; publish: boolean },
    ): Promise<CouponTemplate>;
    /** The pack's expiry stops its template (as the system). */
    stop(ctx: Ctx, actor: SystemActor, id: string): Promise<CouponTemplate>;
  };
  coupons: {
    issue(ctx: Ctx, req: IssueRequest): Promise<IssueResult>;
    mine(buyerId: string, id: string): Promise<BuyerCoupon | null>;
  };
}

export interface BuyerPort {
  openidOf(buyerId: string): Promise<string | null>;
}

/** A paid order as attribution counts it: the coupon it used and what it came to. */
export interface PaidOrderFacts {
  buyerId: string;
  couponId: string | null;
  discount: number;
  payable: number;
  paidAt: Date;
}

export interface OrderPort {
  /** Has the buyer ever paid an order (refunded ones included)? */
  hasPaidOrder(buyerId: string): Promise<boolean>;
  paidOrder(orderNo: string): Promise<PaidOrderFacts | null>;
}

/** The orders module's service as this module needs it. */
export function ordersPort(orders: {
  hasPaidOrder(buyerId: string): Promise<boolean>;
  factsByOrderNo(orderNo: string): Promise<{ id: string; buyerId: string; payable: number } | null>;
  get(where: { id: string }): Promise<{
    paidAt: string | null;
    coupon: { couponId: string; discount: number } | null;
  }>;
}): OrderPort {
  return {
    hasPaidOrder: (buyerId) => orders.hasPaidOrder(buyerId),
    async paidOrder(orderNo) {
      const facts = await orders.factsByOrderNo(orderNo);
      if (!facts) return null;
      const o = await orders.get({ id: facts.id });
      return {
        buyerId: facts.buyerId,
        couponId: o.coupon?.couponId ?? null,
        discount: o.coupon?.discount ?? 0,
        payable: facts.payable,
        paidAt: o.paidAt ? new Date(o.paidAt) : new Date(),
      };
    },
  };
}
