/** The buyer's server-side cart: re-priced from the live catalog every time it is read. */
import { newId, priceOrder, type Cart, type ShippingRule } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import { NotFoundError, ValidationError } from '../../kernel/errors';
import { findSkus } from '../catalog/sku-lookup';
import { CartItemEntity } from './cart-item.entity';

export const MAX_CART_LINES = 100;

export class CartService {
  constructor(
    private readonly db: DataSource,
    /** The shop's shipping rule as it stands now (shop settings). */
    private readonly shippingRule: () => Promise<ShippingRule>,
  ) {}

  async get(buyerId: string): Promise<Cart> {
    const items = await this.db
      .getRepository(CartItemEntity)
      .find({ where: { buyerId }, order: { createdAt: 'DESC', id: 'DESC' } });
    const skus = await findSkus(
      this.db.manager,
      items.map((i) => i.skuId),
    );
    const lines = items.flatMap((i) => {
      const s = skus.get(i.skuId);
      if (!s) return [];
      return [
        {
          skuId: i.skuId,
          productId: s.productId,
          name: s.name,
          nameEn: s.nameEn,
          specValues: s.specValues,
          image: s.image,
          unitPrice: s.price,
          quantity: i.quantity,
          selected: i.selected,
          stock: s.stock,
          available: s.published && s.stock > 0,
        },
      ];
    });
    const chosen = lines.filter((l) => l.selected && l.available);
    return {
      lines,
      selected: priceOrder(
        chosen.map((l) => ({ skuId: l.skuId, unitPrice: l.unitPrice, quantity: Math.min(l.quantity, l.stock) })),
        await this.shippingRule(),
      ),
    };
  }

  async add(buyerId: string, skuId: string, quantity: number): Promise<Cart> {
    const sku = (await findSkus(this.db.manager, [skuId])).get(skuId);
    if (!sku || !sku.published) throw new ValidationError([{ path: 'body.skuId', message: 'no such SKU on sale' }]);
    const repo = this.db.getRepository(CartItemEntity);
    const existing = await repo.findOneBy({ buyerId, skuId });
    if (existing) {
      await repo.update({ id: existing.id }, { quantity: Math.min(existing.quantity + quantity, 99), selected: true });
    } else {
      if ((await repo.countBy({ buyerId })) >= MAX_CART_LINES)
        throw new ValidationError([{ path: 'body.skuId', message: `the cart holds at most ${MAX_CART_LINES} lines` }]);
      await repo
        .createQueryBuilder()
        .insert()
        .values({ id: newId('cartItem'), buyerId, skuId, quantity, selected: true })
        .orIgnore()
        .execute();
    }
    return this.get(buyerId);
  }

  async update(buyerId: string, skuId: string, patch: { quantity?: number; selected?: boolean }): Promise<Cart> {
    const result = await this.db.getRepository(CartItemEntity).update({ buyerId, skuId }, patch);
    if (!result.affected) throw new NotFoundError('Cart line');
    return this.get(buyerId);
  }

  async remove(buyerId: string, skuId: string): Promise<Cart> {
    await this.db.getRepository(CartItemEntity).delete({ buyerId, skuId });
    return this.get(buyerId);
  }

  /** Removes what was just ordered (called after an order commits). */
  async removeOrdered(buyerId: string, skuIds: readonly string[]): Promise<void> {
    for (const skuId of skuIds) await this.db.getRepository(CartItemEntity).delete({ buyerId, skuId });
  }
}
