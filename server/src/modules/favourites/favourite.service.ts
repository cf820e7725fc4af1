/** Favourites: idempotent add/remove, the buyer's list, and the count shown on a product. */
import type { DataSource } from 'typeorm';
import { NotFoundError } from '../../kernel/errors';
import { findProduct, lowestPrices } from '../catalog/sku-lookup';
import { FavouriteEntity } from './favourite.entity';

export class FavouriteService {
  constructor(private readonly db: DataSource) {}

  private async state(buyerId: string, productId: string) {
    const repo = this.db.getRepository(FavouriteEntity);
    const [favourited, favouriteCount] = await Promise.all([
      repo.existsBy({ buyerId, productId }),
      repo.countBy({ productId }),
    ]);
    return { productId, favourited, favouriteCount };
  }

  async add(buyerId: string, productId: string) {
    const product = await findProduct(this.db.manager, productId);
    if (!product || !product.published) throw new NotFoundError('Product');
    await this.db
      .getRepository(FavouriteEntity)
      .createQueryBuilder()
      .insert()
      .values({ buyerId, productId })
      .orIgnore()
      .execute();
    return this.state(buyerId, productId);
  }

  async remove(buyerId: string, productId: string) {
    await this.db.getRepository(FavouriteEntity).delete({ buyerId, productId });
    return this.state(buyerId, productId);
  }

  async list(buyerId: string) {
    const favs = await this.db
      .getRepository(FavouriteEntity)
      .find({ where: { buyerId }, order: { createdAt: 'DESC' } });
    const prices = await lowestPrices(
      this.db.manager,
      favs.map((f) => f.productId),
    );
    const items = [];
    for (const f of favs) {
      const p = await findProduct(this.db.manager, f.productId);
      if (!p || !p.published) continue;
      const priceFrom = prices.get(p.id) ?? 0;
      items.push({
        productId: p.id,
        name: p.name,
        nameEn: p.nameEn,
        cover: p.cover,
        priceFrom,
        favouritedAt: f.createdAt.toISOString(),
      });
    }
    return { items };
  }
}
