/**
 * What the red-envelope module asks of other modules, through their services (never their
 * tables): coupon templates and issuing (coupons), buyers' openids (auth), paid orders (orders).
 */
import type { BuyerCoupon, CouponTemplate, CouponTemplateInput, OrderStatus } from '@chatmall/shared';
import type { z } from 'zod';
import type { Ctx } from '../../kernel/tx';
import type { StaffPrincipal } from '../auth/principal';
import type { IssueRequest, IssueResult } from '../coupons/coupon.service';

export interface CouponPort {
  couponTemplates: {
    create(ctx: Ctx, actor: StaffPrincipal, input: z.output<typeof CouponTemplateInput>): Promise<CouponTemplate>;
    publish(ctx: Ctx, actor: StaffPrincipal, id: string): Promise<CouponTemplate>;
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

/** Statuses of an order that was paid at some point. */
const PAID_STATUSES: OrderStatus[] = ['PAID', 'SHIPPED', 'COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED'];

/** The orders module's service as this module needs it. */
export function ordersPort(orders: {
  list(f: { buyerId?: string; status?: OrderStatus; limit: number }): Promise<{ items: unknown[] }>;
  factsByOrderNo(orderNo: string): Promise<{ id: string; buyerId: string; payable: number } | null>;
  get(where: { id: string }): Promise<{
    paidAt: string | null;
    coupon: { couponId: string; discount: number } | null;
  }>;
}): OrderPort {
  return {
    async hasPaidOrder(buyerId) {
      for (const status of PAID_STATUSES)
        if ((await orders.list({ buyerId, status, limit: 1 })).items.length) return true;
      return false;
    },
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
