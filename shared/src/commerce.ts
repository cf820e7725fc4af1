/** Buyer-side commerce DTOs: cart, favourites, addresses. */
import { z } from 'zod';
import { ProductId, SkuId } from './catalog';
import { Fen } from './money';
import { PriceBreakdown } from './pricing';
import { patchOf } from './schema';

/** How many of one SKU a buyer may put in one order line. */
export const MAX_LINE_QUANTITY = 99;

export const Quantity = z
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(MAX_LINE_QUANTITY, `must be at most ${MAX_LINE_QUANTITY}`);

export const CartLine = z.object({
  skuId: SkuId,
  productId: ProductId,
  name: z.string(),
  nameEn: z.string(),
  specValues: z.array(z.string()),
  image: z.string(),
  unitPrice: Fen,
  quantity: z.number().int(),
  selected: z.boolean(),
  /** Units on hand now; the line cannot be checked out above it. */
  stock: z.number().int(),
  /** False when the product was unpublished since the buyer added it. */
  available: z.boolean(),
});
export type CartLine = z.infer<typeof CartLine>;

export const Cart = z.object({
  lines: z.array(CartLine),
  /** Price of the selected, available lines. */
  selected: PriceBreakdown,
});
export type Cart = z.infer<typeof Cart>;

export const AddToCartRequest = z.object({ skuId: SkuId, quantity: Quantity });
export const UpdateCartLineRequest = z
  .object({ quantity: Quantity.optional(), selected: z.boolean().optional() })
  .refine((v) => v.quantity !== undefined || v.selected !== undefined, { message: 'give quantity or selected' });

export const FavouriteList = z.object({
  items: z.array(
    z.object({
      productId: ProductId,
      name: z.string(),
      nameEn: z.string(),
      cover: z.string(),
      priceFrom: Fen,
      favouritedAt: z.string(),
    }),
  ),
});

export const FavouriteState = z.object({
  productId: ProductId,
  favourited: z.boolean(),
  favouriteCount: z.number().int(),
});

const phone = z.string().regex(/^1\d{10}$/, 'must be an 11-digit mainland mobile number');

export const AddressInput = z.object({
  recipient: z.string().trim().min(1).max(32),
  phone,
  province: z.string().trim().min(1).max(32),
  city: z.string().trim().min(1).max(32),
  district: z.string().trim().max(32).default(''),
  detail: z.string().trim().min(1).max(200),
  isDefault: z.boolean().default(false),
});
export type AddressInput = z.input<typeof AddressInput>;
/** Changes exactly the fields named; `{}` changes nothing. */
export const AddressPatch = patchOf(AddressInput);

export const Address = AddressInput.extend({ id: z.string(), isDefault: z.boolean(), district: z.string() });
export type Address = z.infer<typeof Address>;
export const AddressList = z.object({ items: z.array(Address) });
