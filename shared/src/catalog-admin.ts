/**
 * Merchant-console catalog DTOs: what staff send and see when they manage categories,
 * products, SKUs, prices, stock and images. Buyers' views are in `catalog.ts`.
 */
import { z } from 'zod';
import { CategoryId, ProductDetail, ProductId, ProductListQuery, ProductSummary, Sku } from './catalog';
import type { FieldProblem } from './errors';
import { Price } from './money';

const text = (max: number) =>
  z.string().trim().min(1, 'must not be blank').max(max, `must be at most ${max} characters`);

/** An image: a URL the media upload returned (`/media/…`) or an absolute http(s) URL. */
export const ImageUrl = z
  .string()
  .max(255, 'must be at most 255 characters')
  .regex(/^(\/media\/[\w\-./]+|https?:\/\/\S+)$/, 'must be a /media/… path or an http(s) URL');

/** Image types the upload accepts. SVG is refused: it can carry scripts. */
export const UPLOAD_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type UploadImageType = (typeof UPLOAD_IMAGE_TYPES)[number];

export const StockLevel = z
  .number({ error: 'must be a whole number of units' })
  .int('must be a whole number of units')
  .min(0, 'must not be negative')
  .max(1_000_000, 'must be at most 1000000');

const Position = z.number({ error: 'must be a whole number' }).int('must be a whole number').min(0).max(1_000_000);

const unique = (values: readonly string[]) => new Set(values).size === values.length;

// Categories --------------------------------------------------------------------------

const categoryFields = { name: text(64), nameEn: text(64), icon: ImageUrl.or(z.literal('')), position: Position };
export const CategoryCreate = z.object({
  ...categoryFields,
  icon: categoryFields.icon.default(''),
  /** Place on the shelf; the end of the shelf when absent. */
  position: Position.optional(),
});
export const CategoryUpdate = z
  .object(categoryFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'give at least one field to change' });
/**
 * The whole shelf in its new order, as a drag in the console leaves it: every category once.
 * A list that is not the shop's current set (one added or deleted meanwhile) is refused (409).
 */
export const CategoryOrder = z.object({
  ids: z
    .array(CategoryId)
    .min(1, 'must name every category')
    .max(500, 'must have at most 500 categories')
    .refine((ids) => unique(ids), 'must not repeat a category'),
});

// Specs and SKUs ----------------------------------------------------------------------

export const SpecDimensionInput = z.object({
  name: text(16),
  nameEn: text(32),
  values: z
    .array(text(32))
    .min(1, 'must have at least one value')
    .max(30, 'must have at most 30 values')
    .refine(unique, 'must not repeat a value'),
});
export const SpecsInput = z
  .array(SpecDimensionInput)
  .max(3, 'must have at most 3 spec dimensions')
  .refine((specs) => unique(specs.map((s) => s.name)), 'must not repeat a spec name');
export type SpecsInput = z.infer<typeof SpecsInput>;

const skuFields = {
  /** One value per spec dimension, in the product's `specs` order (`[]` when it has none). */
  specValues: z.array(z.string()).max(3),
  price: Price,
  originalPrice: Price.nullable().default(null),
  image: ImageUrl.nullable().default(null),
};
export const SkuCreate = z.object({ ...skuFields, stock: StockLevel.default(0) });
/**
 * A SKU in a product update. A combination the product already has keeps its id and its
 * stock (stock changes go through the stock endpoints, so a stale form cannot overwrite
 * units sold meanwhile); `initialStock` is what a new combination starts with.
 */
export const SkuUpdate = z.object({ ...skuFields, initialStock: StockLevel.default(0) });

/**
 * What is wrong with a set of SKUs for these specs: each SKU must give exactly one
 * known value per dimension, and no two SKUs may share a combination. Paths are
 * relative to the request body (`skus.2.specValues.0`).
 */
export function skuSpecProblems(
  specs: readonly { name: string; values: readonly string[] }[],
  skus: readonly { specValues: readonly string[] }[],
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Map<string, number>();
  skus.forEach((sku, i) => {
    const at = `skus.${i}.specValues`;
    if (sku.specValues.length !== specs.length) {
      problems.push({ path: at, message: `must have one value for each of the ${specs.length} specs` });
      return;
    }
    let known = true;
    sku.specValues.forEach((value, d) => {
      if (!specs[d].values.includes(value)) {
        known = false;
        problems.push({
          path: `${at}.${d}`,
          message: `must be one of the values of ${specs[d].name}: ${specs[d].values.join(', ')}`,
        });
      }
    });
    if (!known) return;
    const key = JSON.stringify(sku.specValues);
    const first = seen.get(key);
    if (first !== undefined) problems.push({ path: at, message: `repeats the combination of skus.${first}` });
    else seen.set(key, i);
  });
  return problems;
}

function addProblems(ctx: z.RefinementCtx, problems: FieldProblem[]): void {
  for (const p of problems)
    ctx.addIssue({
      code: 'custom',
      path: p.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
      message: p.message,
    });
}

// Products ----------------------------------------------------------------------------

const productFields = {
  categoryId: CategoryId,
  name: text(120),
  nameEn: text(120),
  subtitle: z.string().trim().max(255, 'must be at most 255 characters'),
  description: z.string().trim().max(5000, 'must be at most 5000 characters'),
  /** The first image is the cover. */
  images: z.array(ImageUrl).max(9, 'must have at most 9 images'),
  specs: SpecsInput,
  position: Position,
};

export const ProductCreate = z
  .object({
    ...productFields,
    subtitle: productFields.subtitle.default(''),
    description: productFields.description.default(''),
    images: productFields.images.default([]),
    specs: productFields.specs.default([]),
    position: Position.optional(),
    skus: z.array(SkuCreate).min(1, 'must have at least one SKU').max(200, 'must have at most 200 SKUs'),
  })
  .superRefine((v, ctx) => addProblems(ctx, skuSpecProblems(v.specs, v.skus)));
export type ProductCreate = z.input<typeof ProductCreate>;

/** Only the fields given change. `skus`, when given, is the product's whole SKU set. */
export const ProductUpdate = z
  .object({
    ...productFields,
    skus: z.array(SkuUpdate).min(1, 'must have at least one SKU').max(200, 'must have at most 200 SKUs'),
  })
  .partial()
  .superRefine((v, ctx) => {
    if (Object.keys(v).length === 0)
      ctx.addIssue({ code: 'custom', path: [], message: 'give at least one field to change' });
    if (v.specs && !v.skus) ctx.addIssue({ code: 'custom', path: ['skus'], message: 'is required when specs change' });
    if (v.specs && v.skus) addProblems(ctx, skuSpecProblems(v.specs, v.skus));
  });
export type ProductUpdate = z.input<typeof ProductUpdate>;

export const AdminProduct = ProductDetail.extend({
  published: z.boolean(),
  position: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AdminProduct = z.infer<typeof AdminProduct>;

export const AdminProductSummary = ProductSummary.extend({
  published: z.boolean(),
  position: z.number().int(),
  /** Units on hand across every SKU. */
  stock: z.number().int(),
  updatedAt: z.string(),
});
export const AdminProductPage = z.object({ items: z.array(AdminProductSummary), nextCursor: z.string().nullable() });
export type AdminProductPage = z.infer<typeof AdminProductPage>;

export const AdminProductListQuery = ProductListQuery.extend({
  /** Only published (`true`) or only unpublished (`false`) products; both when absent. */
  published: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
});

// Prices and stock --------------------------------------------------------------------

export const AdminSku = Sku.extend({ productId: ProductId });
export type AdminSku = z.infer<typeof AdminSku>;

export const SkuPriceChange = z.object({
  price: Price,
  /** The crossed-out "was" price; unchanged when absent, removed when null. */
  originalPrice: Price.nullable().optional(),
});
export const SkuStockSet = z.object({ stock: StockLevel });
export const SkuStockAdjust = z.object({
  /** Units to add (positive) or take off (negative); refused if stock would go below zero. */
  delta: z
    .number({ error: 'must be a whole number of units' })
    .int('must be a whole number of units')
    .min(-1_000_000)
    .max(1_000_000)
    .refine((d) => d !== 0, 'must not be zero'),
  reason: z.string().trim().max(100, 'must be at most 100 characters').optional(),
});

export const MediaUploaded = z.object({ url: z.string() });
