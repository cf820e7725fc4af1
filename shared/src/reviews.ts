/**
 * Reviews (word of mouth): after receipt a buyer rates each product bought (1–5) with text
 * and up to 6 photos, one review per order line, editable once within 7 days; the merchant
 * replies or hides. The product page shows the rating, the count and the newest reviews.
 */
import { z } from 'zod';
import { BuyerPhotoUrl, MAX_PHOTOS } from './orders';
import { patchOf } from './schema';

export const REVIEW_EDIT_WINDOW_DAYS = 7;
export const REVIEW_TEXT_MAX = 500;
export const REVIEW_REPLY_MAX = 500;

export const Rating = z
  .number({ error: 'must be a whole number from 1 to 5' })
  .int('must be a whole number from 1 to 5')
  .min(1, 'must be a whole number from 1 to 5')
  .max(5, 'must be a whole number from 1 to 5');

const reviewFields = {
  rating: Rating,
  content: z.string().trim().max(REVIEW_TEXT_MAX, `must be at most ${REVIEW_TEXT_MAX} characters`).default(''),
  photos: z.array(BuyerPhotoUrl).max(MAX_PHOTOS, `at most ${MAX_PHOTOS} photos`).default([]),
  /** Shown instead of the buyer; absent → "匿名买家 Anonymous buyer". */
  displayName: z.string().trim().min(1).max(20, 'must be at most 20 characters').nullable().default(null),
};

export const CreateReview = z.object({ orderLineId: z.string().min(1).max(40), ...reviewFields });
export type CreateReview = z.input<typeof CreateReview>;
/** An edit (once, within 7 days) changes exactly the fields it names. */
export const UpdateReview = patchOf(z.object(reviewFields));
export type UpdateReview = z.input<typeof UpdateReview>;

/** What anyone sees of a review on the product page. */
export const PublicReview = z.object({
  id: z.string(),
  productId: z.string(),
  rating: Rating,
  content: z.string(),
  photos: z.array(z.string()),
  displayName: z.string(),
  /** The SKU's spec values as bought, e.g. "50g / 罐装". */
  spec: z.string(),
  reply: z.string().nullable(),
  repliedAt: z.string().nullable(),
  createdAt: z.string(),
  edited: z.boolean(),
});
export type PublicReview = z.infer<typeof PublicReview>;

/** The buyer's own review (the order page: written, editable until). */
export const MyReview = PublicReview.extend({
  orderId: z.string(),
  orderLineId: z.string(),
  hidden: z.boolean(),
  /** Until when it may still be edited; null once edited (or the window has passed). */
  editableUntil: z.string().nullable(),
});
export type MyReview = z.infer<typeof MyReview>;
export const MyReviewList = z.object({ items: z.array(MyReview) });

/** The merchant's view: with hidden ones, the order line and the buyer. */
export const AdminReview = MyReview.extend({ buyerId: z.string(), hiddenAt: z.string().nullable() });
export type AdminReview = z.infer<typeof AdminReview>;

export const ProductRating = z.object({
  /** Mean of visible reviews, one decimal. */
  average: z.number(),
  count: z.number().int().nonnegative(),
  withPhotos: z.number().int().nonnegative(),
});
export type ProductRating = z.infer<typeof ProductRating>;

export const ProductReviewQuery = z.object({
  /** `1`: only reviews with photos (有图). */
  photos: z.enum(['0', '1']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export const ProductReviewPage = z.object({
  rating: ProductRating,
  items: z.array(PublicReview),
  nextCursor: z.string().nullable(),
});
export type ProductReviewPage = z.infer<typeof ProductReviewPage>;

export const AdminReviewQuery = z.object({
  productId: z.string().max(40).optional(),
  hidden: z.enum(['0', '1']).optional(),
  /** Only reviews of this many stars. */
  rating: z.enum(['1', '2', '3', '4', '5']).optional(),
  /** `1`: only reviews with photos (有图); `0`: only those without. */
  photos: z.enum(['0', '1']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export const AdminReviewPage = z.object({ items: z.array(AdminReview), nextCursor: z.string().nullable() });

export const ReplyToReview = z.object({
  reply: z
    .string()
    .trim()
    .min(1, 'must not be blank')
    .max(REVIEW_REPLY_MAX, `must be at most ${REVIEW_REPLY_MAX} characters`),
});
export const HideReview = z.object({ reason: z.string().trim().max(80).default('') });

/** `4.75` → `4.8`; the average shown on cards and the product page. */
export function ratingAverage(sum: number, count: number): number {
  return count ? Math.round((sum / count) * 10) / 10 : 0;
}
