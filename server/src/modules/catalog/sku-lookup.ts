/** What other modules may read about SKUs: price, stock and display data of published products. */
import { In, type EntityManager } from 'typeorm';
import { ProductEntity } from './product.entity';
import { SkuEntity } from './sku.entity';

export interface SkuView {
  skuId: string;
  productId: string;
  /** The product's category (a coupon's scope may name it). */
  categoryId: string;
  name: string;
  nameEn: string;
  specValues: string[];
  image: string;
  price: number;
  stock: number;
  published: boolean;
}

export async function findSkus(em: EntityManager, skuIds: readonly string[]): Promise<Map<string, SkuView>> {
  const out = new Map<string, SkuView>();
  if (skuIds.length === 0) return out;
  const skus = await em.getRepository(SkuEntity).findBy({ id: In([...new Set(skuIds)]) });
  const products = await em.getRepository(ProductEntity).findBy({ id: In([...new Set(skus.map((s) => s.productId))]) });
  const byId = new Map(products.map((p) => [p.id, p]));
  for (const s of skus) {
    const p = byId.get(s.productId);
    if (!p) continue;
    out.set(s.id, {
      skuId: s.id,
      productId: p.id,
      categoryId: p.categoryId,
      name: p.name,
      nameEn: p.nameEn,
      specValues: s.specValues,
      image: s.image ?? p.cover,
      price: s.price,
      stock: s.stock,
      published: p.published,
    });
  }
  return out;
}

export async function findProduct(em: EntityManager, productId: string): Promise<ProductEntity | null> {
  return em.getRepository(ProductEntity).findOneBy({ id: productId });
}

/** Each product's lowest SKU price ("from ¥…"), for lists outside the catalog. */
export async function lowestPrices(em: EntityManager, productIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (productIds.length === 0) return out;
  const skus = await em.getRepository(SkuEntity).findBy({ productId: In([...new Set(productIds)]) });
  for (const s of skus) out.set(s.productId, Math.min(out.get(s.productId) ?? Infinity, s.price));
  return out;
}

/** Every SKU of the published products (demo history picks its lines from these). */
export async function publishedSkus(em: EntityManager): Promise<SkuView[]> {
  const products = await em.getRepository(ProductEntity).findBy({ published: true });
  const skus = await em.getRepository(SkuEntity).findBy({ productId: In(products.map((p) => p.id)) });
  return [
    ...(
      await findSkus(
        em,
        skus.map((s) => s.id),
      )
    ).values(),
  ].sort((a, b) => a.skuId.localeCompare(b.skuId));
}
