/** Catalog DTOs: what a buyer sees of categories, products and their SKUs. */
import { z } from 'zod';
import { idSchema } from './ids';
import { Fen } from './money';

export const CategoryId = idSchema('category');
export const ProductId = idSchema('product');
export const SkuId = idSchema('sku');

export const Category = z.object({
  id: CategoryId,
  name: z.string(),
  nameEn: z.string(),
  /** Image URL (absolute, or relative to the API origin). */
  icon: z.string(),
  position: z.number().int(),
});
export type Category = z.infer<typeof Category>;

/** One spec dimension of a product, e.g. `{ name: '重量', nameEn: 'Weight', values: ['50g', '100g'] }`. */
export const SpecDimension = z.object({
  name: z.string(),
  nameEn: z.string(),
  values: z.array(z.string()).min(1),
});
export type SpecDimension = z.infer<typeof SpecDimension>;

export const Sku = z.object({
  id: SkuId,
  /** One value per spec dimension, in the product's `specs` order. */
  specValues: z.array(z.string()),
  price: Fen,
  /** The crossed-out "was" price, when the merchant shows one. */
  originalPrice: Fen.nullable(),
  stock: z.number().int().nonnegative(),
  image: z.string().nullable(),
});
export type Sku = z.infer<typeof Sku>;

export const ProductSummary = z.object({
  id: ProductId,
  categoryId: CategoryId,
  name: z.string(),
  nameEn: z.string(),
  subtitle: z.string(),
  cover: z.string(),
  /** Lowest and highest SKU price: a product with one SKU has `priceFrom === priceTo`. */
  priceFrom: Fen,
  priceTo: Fen,
  soldOut: z.boolean(),
  /** Buyers' rating (mean of visible reviews, one decimal) and how many; absent or null when there is none. */
  rating: z.object({ average: z.number(), count: z.number().int().nonnegative() }).nullable().optional(),
});
export type ProductSummary = z.infer<typeof ProductSummary>;

export const ProductDetail = ProductSummary.extend({
  description: z.string(),
  images: z.array(z.string()),
  specs: z.array(SpecDimension),
  skus: z.array(Sku).min(1),
  /** How many buyers have favourited it. */
  favouriteCount: z.number().int().nonnegative(),
});
export type ProductDetail = z.infer<typeof ProductDetail>;

/** A keyword typed by a buyer: matched against Chinese and English names and the subtitle. */
export const SearchKeyword = z.string().trim().min(1, 'must not be blank').max(50, 'must be at most 50 characters');

export const ProductListQuery = z.object({
  categoryId: CategoryId.optional(),
  q: SearchKeyword.optional(),
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 50' })
    .int('must be a whole number from 1 to 50')
    .min(1, 'must be at least 1')
    .max(50, 'must be at most 50')
    .default(20),
});
export type ProductListQuery = z.input<typeof ProductListQuery>;

export const ProductPage = z.object({
  items: z.array(ProductSummary),
  nextCursor: z.string().nullable(),
});
export type ProductPage = z.infer<typeof ProductPage>;

export const CategoryList = z.object({ items: z.array(Category) });
export type CategoryList = z.infer<typeof CategoryList>;

/** The SKU whose spec values match the buyer's choice, if every dimension is chosen. */
export function findSku(
  product: Pick<ProductDetail, 'skus'>,
  chosen: readonly (string | undefined)[],
): Sku | undefined {
  return product.skus.find((sku) => sku.specValues.every((v, i) => chosen[i] === v));
}
