/** What buyers read of the catalog: categories, product pages and product details. */
import type { Category, ProductDetail, ProductPage, ProductSummary, Sku } from '@chatmall/shared';
import { In, type DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { NotFoundError, ValidationError } from '../../kernel/errors';
import { countFavourites } from '../favourites/favourite-count';
import { CategoryEntity } from './category.entity';
import { ProductEntity } from './product.entity';
import { SkuEntity } from './sku.entity';

export interface ListProductsInput {
  categoryId?: string;
  /** A keyword matched against the Chinese and English names, the subtitle and the category's names. */
  q?: string;
  cursor?: string;
  limit: number;
}

/**
 * `q` as a LIKE pattern that matches it literally anywhere: `%` and `_` typed by a buyer
 * are escaped. The escape character is `!` because a backslash is itself an escape in
 * MySQL string literals but not in SQLite's, so `ESCAPE '\\'` cannot be written portably.
 */
export function containsPattern(q: string): string {
  return `%${q.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** Filters a product query (alias `p`) by category and keyword; parameters are bound, never spliced. */
export function filterProducts(
  qb: SelectQueryBuilder<ProductEntity>,
  input: Pick<ListProductsInput, 'categoryId' | 'q'>,
): SelectQueryBuilder<ProductEntity> {
  if (input.categoryId) qb.andWhere('p.category_id = :categoryId', { categoryId: input.categoryId });
  // The category's names count too ("绿茶" finds every green tea). A subquery rather than a
  // join keeps one row per product, so paging with LIMIT stays a single plain query.
  if (input.q)
    qb.andWhere(
      `(p.name LIKE :kw ESCAPE '!' OR p.name_en LIKE :kw ESCAPE '!' OR p.subtitle LIKE :kw ESCAPE '!'
        OR p.category_id IN (SELECT c.id FROM categories c WHERE c.name LIKE :kw ESCAPE '!' OR c.name_en LIKE :kw ESCAPE '!'))`,
      { kw: containsPattern(input.q) },
    );
  return qb;
}

/** One page of products in shelf order (position, then id), keyed by an opaque cursor. */
export async function productPage(
  qb: SelectQueryBuilder<ProductEntity>,
  input: Pick<ListProductsInput, 'cursor' | 'limit'>,
): Promise<{ rows: ProductEntity[]; nextCursor: string | null }> {
  qb.orderBy('p.position', 'ASC')
    .addOrderBy('p.id', 'ASC')
    .take(input.limit + 1);
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    qb.andWhere('(p.position > :pos OR (p.position = :pos AND p.id > :id))', { pos: c.position, id: c.id });
  }
  const rows = await qb.getMany();
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    rows: page,
    nextCursor: rows.length > input.limit && last ? encodeCursor({ position: last.position, id: last.id }) : null,
  };
}

/** SKUs of these products in shelf order, grouped by product. */
export async function skusOf(em: EntityManager, productIds: string[]): Promise<Map<string, SkuEntity[]>> {
  const byProduct = new Map<string, SkuEntity[]>();
  if (productIds.length === 0) return byProduct;
  const skus = await em
    .getRepository(SkuEntity)
    .find({ where: { productId: In(productIds) }, order: { position: 'ASC', id: 'ASC' } });
  for (const s of skus) {
    const list = byProduct.get(s.productId) ?? [];
    list.push(s);
    byProduct.set(s.productId, list);
  }
  return byProduct;
}

/** A page boundary: the (position, id) of the last product on the previous page. */
interface Cursor {
  position: number;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.position, c.id]), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const [position, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (Number.isInteger(position) && typeof id === 'string' && id.length <= 40)
      return { position: position as number, id };
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError([{ path: 'query.cursor', message: 'is not a cursor returned by this API' }]);
}

export class CatalogService {
  constructor(private readonly db: DataSource) {}

  async listCategories(): Promise<Category[]> {
    const rows = await this.db.getRepository(CategoryEntity).find({ order: { position: 'ASC', id: 'ASC' } });
    return rows.map((c) => ({ id: c.id, name: c.name, nameEn: c.nameEn, icon: c.icon, position: c.position }));
  }

  async listProducts(input: ListProductsInput): Promise<ProductPage> {
    const qb = this.db
      .getRepository(ProductEntity)
      .createQueryBuilder('p')
      .where('p.published = :published', { published: true });
    const { rows, nextCursor } = await productPage(filterProducts(qb, input), input);
    const skus = await skusOf(
      this.db.manager,
      rows.map((p) => p.id),
    );
    return { items: rows.map((p) => summarize(p, skus.get(p.id) ?? [])), nextCursor };
  }

  async getProduct(id: string): Promise<ProductDetail> {
    const p = await this.db.getRepository(ProductEntity).findOneBy({ id, published: true });
    if (!p) throw new NotFoundError('Product');
    const skus = (await skusOf(this.db.manager, [id])).get(id) ?? [];
    if (skus.length === 0) throw new NotFoundError('Product');
    return detail(p, skus, await countFavourites(this.db.manager, id));
  }
}

export function summarize(p: ProductEntity, skus: SkuEntity[]): ProductSummary {
  const prices = skus.map((s) => s.price);
  return {
    id: p.id,
    categoryId: p.categoryId,
    name: p.name,
    nameEn: p.nameEn,
    subtitle: p.subtitle,
    cover: p.cover,
    priceFrom: prices.length ? Math.min(...prices) : 0,
    priceTo: prices.length ? Math.max(...prices) : 0,
    soldOut: skus.every((s) => s.stock <= 0),
  };
}

export function skuView(s: SkuEntity): Sku {
  return {
    id: s.id,
    specValues: s.specValues,
    price: s.price,
    originalPrice: s.originalPrice,
    stock: s.stock,
    image: s.image,
  };
}

export function detail(p: ProductEntity, skus: SkuEntity[], favouriteCount: number): ProductDetail {
  return {
    ...summarize(p, skus),
    description: p.description,
    images: p.images,
    specs: p.specs,
    skus: skus.map(skuView),
    favouriteCount,
  };
}
