/**
 * A staff member's WeChat identity and the mini-program's merchant pages
 * (docs/decisions/0026-staff-wechat-binding.md). A staff member asks the console for a
 * one-time code, opens the merchant bind page in the mini-program (scanning the QR code or
 * typing the digits), and from then on that WeChat opens the merchant pages with the staff
 * member's role.
 */
import { z } from 'zod';
import { StaffRole } from './auth';
import { Order } from './orders';

/** How long a binding code works after it is issued. */
export const BINDING_CODE_TTL_MS = 10 * 60 * 1000;

/** Eight digits: short enough to type on a phone, random enough for ten minutes and a few tries. */
export const BindingCode = z.string().regex(/^\d{8}$/, 'must be the 8 digits shown in the console');

/** The console's view of the signed-in staff member's own WeChat binding. */
export const WechatBindingStatus = z.object({
  bound: z.boolean(),
  /** When the current WeChat was bound (UTC ISO-8601); null when unbound. */
  boundAt: z.string().nullable(),
});
export type WechatBindingStatus = z.infer<typeof WechatBindingStatus>;

/** A fresh code (any earlier one stops working): shown once, stored only as a hash. */
export const WechatBindingCode = z.object({
  code: BindingCode,
  /** UTC ISO-8601. */
  expiresAt: z.string(),
  /** The mini-program page that binds, with the code: what the QR code holds. */
  pagePath: z.string(),
});
export type WechatBindingCode = z.infer<typeof WechatBindingCode>;

export const BindWechatRequest = z.object({ code: BindingCode });

/** Whether the signed-in buyer's WeChat is a staff member's: never an error for a plain buyer. */
export const MerchantMe = z.discriminatedUnion('bound', [
  z.object({ bound: z.literal(false) }),
  z.object({
    bound: z.literal(true),
    staff: z.object({ displayName: z.string(), role: StaffRole }),
  }),
]);
export type MerchantMe = z.infer<typeof MerchantMe>;

export const MerchantShipQueueQuery = z.object({
  /** The last order id of the previous page. */
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** Paid orders not yet shipped, the longest waiting first. */
export const MerchantShipQueue = z.object({ items: z.array(Order), nextCursor: z.string().nullable() });
export type MerchantShipQueue = z.infer<typeof MerchantShipQueue>;

/** Carriers offered by the ship form's picker (the API takes any carrier name). */
export const commonCarriers = [
  '顺丰速运',
  '中通快递',
  '圆通速递',
  '韵达快递',
  '申通快递',
  '京东物流',
  'EMS',
  '极兔速递',
];
