/**
 * Shop settings: what a merchant changes about the shop itself (name, logo, customer-service
 * phone, shipping rule). They live in the database, not in configuration; the owner changes
 * them through the console, and the storefront reads the buyer-facing part at start-up.
 */
import { z } from 'zod';
import { ImageUrl } from './catalog-admin';
import { ShippingRule } from './pricing';

const name = z.string().trim().min(1, 'must not be blank').max(40, 'must be at most 40 characters');
const nameEn = z
  .string()
  .trim()
  .min(1, 'must not be blank (send null to clear)')
  .max(60, 'must be at most 60 characters');
/** Mobile, landline or hotline: digits with an optional leading +, spaces or dashes. */
const servicePhone = z
  .string()
  .trim()
  .regex(/^\+?\d[\d -]{2,18}\d$/, 'must be a phone number (digits, spaces, dashes, optional leading +)');

/** What buyers see of the shop: the storefront header, share titles, the checkout's shipping. */
export const ShopProfile = z.object({
  name: z.string(),
  nameEn: z.string().nullable(),
  logo: z.string().nullable(),
  servicePhone: z.string().nullable(),
  shipping: ShippingRule,
});
export type ShopProfile = z.infer<typeof ShopProfile>;

/** The whole settings record, as the owner sees it. */
export const ShopSettings = ShopProfile.extend({
  /** A fully refunded order gives its coupon back to the buyer, if the coupon is still valid. Default true. */
  restoreCouponOnFullRefund: z.boolean(),
  /** When the settings last changed (UTC ISO-8601). */
  updatedAt: z.string(),
});
export type ShopSettings = z.infer<typeof ShopSettings>;

/**
 * A partial change: exactly the fields named change (`shipping` may name one of its two
 * fields); `{}` changes nothing. Unknown fields are refused so a misspelt name is not
 * silently ignored. Optional texts are cleared with `null`.
 */
export const ShopSettingsPatch = z.strictObject({
  name: name.optional(),
  nameEn: nameEn.nullable().optional(),
  logo: ImageUrl.nullable().optional(),
  servicePhone: servicePhone.nullable().optional(),
  shipping: z
    .strictObject({ flatFee: ShippingRule.shape.flatFee.optional(), freeOver: ShippingRule.shape.freeOver.optional() })
    .optional(),
  restoreCouponOnFullRefund: z.boolean().optional(),
});
export type ShopSettingsPatch = z.input<typeof ShopSettingsPatch>;

/** The shop's name as one line, Chinese first and English beside it: `茶与点心 Tea & Snacks`. */
export function shopTitle(shop: Pick<ShopProfile, 'name' | 'nameEn'>): string {
  return shop.nameEn ? `${shop.name} ${shop.nameEn}` : shop.name;
}
