/**
 * The merchant's side of the catalog: categories, products, SKUs, prices and stock.
 * Every change and its audit entry are written in one transaction; stock changes are
 * conditional updates, so a stock adjustment racing checkouts can never go below zero.
 */
import {
  ErrorCode,
  newId,
  skuSpecProblems,
  type AdminProduct,
  type AdminProductPage,
  type AdminSku,
  type Category,
  type SpecDimension,
} from '@chatmall/shared';
import type { z } from 'zod';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../kernel/errors';
import { lockForUpdate } from '../../kernel/dialect';
import { withTx, type Ctx } from '../../kernel/tx';
import { recordAudit } from '../auth/audit.service';
import type { StaffPrincipal } from '../auth/principal';
import { countFavourites } from '../favourites/favourite-count';
import { detail, filterProducts, productPage, skusOf, skuView, summarize } from './catalog.service';
import { CategoryEntity } from './category.entity';
import { ProductEntity } from './product.entity';
import { SkuEntity, specKeyOf } from './sku.entity';
import type {
  AdminProductListQuery,
  CategoryCreate,
  CategoryUpdate,
  ProductCreate,
  ProductUpdate,
  SkuPriceChange,
  SkuStockAdjust,
} from '@chatmall/shared';

type Out<S extends z.ZodType> = z.output<S>;

const categoryView = (c: CategoryEntity): Category => ({
  id: c.id,
  name: c.name,
  nameEn: c.nameEn,
  icon: c.icon,
  position: c.position,
});

/** The next free place at the end of a shelf. */
async function endOfShelf(tx: EntityManager, table: 'categories' | 'products'): Promise<number> {
  const [row] = (await tx.query(`SELECT MAX(position) AS m FROM ${table}`)) as { m: number | string | null }[];
  return row?.m === null || row?.m === undefined ? 0 : Number(row.m) + 1;
}

const skuKey = (specValues: readonly string[]) => JSON.stringify(specValues);

export class CatalogAdminService {
  constructor(private readonly db: DataSource) {}

  // Categories ------------------------------------------------------------------------

  async createCategory(ctx: Ctx, actor: StaffPrincipal, input: Out<typeof CategoryCreate>): Promise<Category> {
    return withTx(this.db, ctx, async ({ tx }) => {
      const row: CategoryEntity = tx.getRepository(CategoryEntity).create({
        id: newId('category'),
        name: input.name,
        nameEn: input.nameEn,
        icon: input.icon,
        position: input.position ?? (await endOfShelf(tx, 'categories')),
      });
      await tx.getRepository(CategoryEntity).insert(row);
      await recordAudit(tx, actor, 'category.create', 'category', row.id, { name: row.name, nameEn: row.nameEn });
      return categoryView(row);
    });
  }

  async updateCategory(
    ctx: Ctx,
    actor: StaffPrincipal,
    id: string,
    input: Out<typeof CategoryUpdate>,
  ): Promise<Category> {
    return withTx(this.db, ctx, async ({ tx }) => {
      const repo = tx.getRepository(CategoryEntity);
      const before = await repo.findOneBy({ id });
      if (!before) throw new NotFoundError('Category');
      await repo.update({ id }, input);
      await recordAudit(tx, actor, 'category.update', 'category', id, changes(before, input));
      return categoryView({ ...before, ...input } as CategoryEntity);
    });
  }

  /**
   * The shelf in the order given, in one transaction and one audit entry. The list must be
   * exactly the current categories: a console that missed an addition or a deletion is told
   * to reload (409) instead of leaving a category out of place. The same order again writes
   * nothing.
   */
  async reorderCategories(ctx: Ctx, actor: StaffPrincipal, ids: readonly string[]): Promise<Category[]> {
    return withTx(this.db, ctx, async ({ tx }) => {
      const rows = await lockForUpdate(
        tx.getRepository(CategoryEntity).createQueryBuilder('c').orderBy('c.position', 'ASC').addOrderBy('c.id', 'ASC'),
      ).getMany();
      const byId = new Map(rows.map((c) => [c.id, c]));
      const stale = ids.length !== rows.length || ids.some((id) => !byId.has(id));
      if (stale)
        throw new ConflictError('The categories changed since the list was read; reload and try again.', [
          { path: 'body.ids', message: `must name each of the ${rows.length} current categories once` },
        ]);
      const before = rows.map((c) => c.id);
      const moved = ids.filter((id, i) => byId.get(id)!.position !== i);
      if (moved.length === 0) return rows.map(categoryView); // already in this order
      for (const id of moved) await tx.getRepository(CategoryEntity).update({ id }, { position: ids.indexOf(id) });
      await recordAudit(tx, actor, 'category.reorder', 'shelf', 'categories', { from: before, to: [...ids] });
      return ids.map((id, i) => categoryView({ ...byId.get(id)!, position: i }));
    });
  }

  async deleteCategory(ctx: Ctx, actor: StaffPrincipal, id: string): Promise<Category[]> {
    await withTx(this.db, ctx, async ({ tx }) => {
      const before = await tx.getRepository(CategoryEntity).findOneBy({ id });
      if (!before) throw new NotFoundError('Category');
      const inUse = await tx.getRepository(ProductEntity).countBy({ categoryId: id });
      if (inUse > 0) throw new ConflictError(`The category still has ${inUse} product(s); move or delete them first.`);
      await tx.getRepository(CategoryEntity).delete({ id });
      await recordAudit(tx, actor, 'category.delete', 'category', id, { name: before.name, nameEn: before.nameEn });
    });
    const rows = await this.db.getRepository(CategoryEntity).find({ order: { position: 'ASC', id: 'ASC' } });
    return rows.map(categoryView);
  }

  // Products --------------------------------------------------------------------------

  async listProducts(query: Out<typeof AdminProductListQuery>): Promise<AdminProductPage> {
    const qb = this.db.getRepository(ProductEntity).createQueryBuilder('p').where('1 = 1');
    if (query.published) qb.andWhere('p.published = :published', { published: query.published === 'true' });
    const { rows, nextCursor } = await productPage(filterProducts(qb, query), query);
    const skus = await skusOf(
      this.db.manager,
      rows.map((p) => p.id),
    );
    return {
      items: rows.map((p) => {
        const list = skus.get(p.id) ?? [];
        return {
          ...summarize(p, list),
          published: p.published,
          position: p.position,
          stock: list.reduce((sum, s) => sum + s.stock, 0),
          updatedAt: p.updatedAt.toISOString(),
        };
      }),
      nextCursor,
    };
  }

  async getProduct(id: string, em: EntityManager = this.db.manager): Promise<AdminProduct> {
    const p = await em.getRepository(ProductEntity).findOneBy({ id });
    if (!p) throw new NotFoundError('Product');
    const skus = (await skusOf(em, [id])).get(id) ?? [];
    return {
      ...detail(p, skus, await countFavourites(em, id)),
      published: p.published,
      position: p.position,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
    };
  }

  async createProduct(ctx: Ctx, actor: StaffPrincipal, input: Out<typeof ProductCreate>): Promise<AdminProduct> {
    const id = newId('product');
    await withTx(this.db, ctx, async ({ tx }) => {
      await this.requireCategory(tx, input.categoryId);
      await tx.getRepository(ProductEntity).insert({
        id,
        categoryId: input.categoryId,
        name: input.name,
        nameEn: input.nameEn,
        subtitle: input.subtitle,
        description: input.description,
        cover: input.images[0] ?? '',
        images: input.images,
        specs: input.specs as SpecDimension[],
        published: false,
        position: input.position ?? (await endOfShelf(tx, 'products')),
      });
      const skus = input.skus.map((s, i) => ({
        id: newId('sku'),
        productId: id,
        specValues: s.specValues,
        specKey: specKeyOf(s.specValues),
        price: s.price,
        originalPrice: s.originalPrice,
        stock: s.stock,
        image: s.image,
        position: i,
      }));
      await tx.getRepository(SkuEntity).insert(skus);
      await recordAudit(tx, actor, 'product.create', 'product', id, {
        name: input.name,
        nameEn: input.nameEn,
        categoryId: input.categoryId,
        skus: skus.map((s) => ({ id: s.id, specValues: s.specValues, price: s.price, stock: s.stock })),
      });
    });
    return this.getProduct(id);
  }

  async updateProduct(
    ctx: Ctx,
    actor: StaffPrincipal,
    id: string,
    input: Out<typeof ProductUpdate>,
  ): Promise<AdminProduct> {
    return withTx(this.db, ctx, async ({ tx }) => {
      // Touching the row first takes its lock (MySQL row lock, SQLite write lock), so two
      // editors of one product are serialised rather than interleaving their SKU sets.
      const touched = await tx
        .createQueryBuilder()
        .update(ProductEntity)
        .set({ position: () => 'position' }) // a no-op; TypeORM also stamps updated_at
        .where('id = :id', { id })
        .execute();
      if (touched.affected === 0) throw new NotFoundError('Product');
      const before = (await tx.getRepository(ProductEntity).findOneBy({ id }))!;
      if (input.categoryId && input.categoryId !== before.categoryId) await this.requireCategory(tx, input.categoryId);

      const { skus: skuInput, ...fields } = input;
      const patch: Partial<ProductEntity> = { ...fields, specs: fields.specs as SpecDimension[] | undefined };
      if (fields.specs === undefined) delete patch.specs;
      if (fields.images) patch.cover = fields.images[0] ?? '';
      const audit: Record<string, unknown> = changes(before, fields);

      if (skuInput) {
        const specs = fields.specs ?? before.specs;
        // The body's own refinement checked new specs; existing specs are checked here.
        const problems = skuSpecProblems(specs, skuInput);
        if (problems.length) throw new ValidationError(problems.map((p) => ({ ...p, path: `body.${p.path}` })));
        audit.skus = await this.replaceSkus(tx, actor, id, skuInput);
      }
      if (Object.keys(patch).length) await tx.getRepository(ProductEntity).update({ id }, patch);
      await recordAudit(tx, actor, 'product.update', 'product', id, audit);
      return this.getProduct(id, tx);
    });
  }

  /** Kept combinations keep their id and stock; new ones are added; missing ones removed. */
  private async replaceSkus(
    tx: EntityManager,
    actor: StaffPrincipal,
    productId: string,
    input: Out<typeof ProductUpdate>['skus'] & object,
  ): Promise<{ added: string[]; removed: string[]; kept: string[] }> {
    const repo = tx.getRepository(SkuEntity);
    const existing = new Map((await repo.findBy({ productId })).map((s) => [skuKey(s.specValues), s]));
    const result = { added: [] as string[], removed: [] as string[], kept: [] as string[] };
    for (const [i, s] of input.entries()) {
      const old = existing.get(skuKey(s.specValues));
      if (old) {
        existing.delete(skuKey(s.specValues));
        result.kept.push(old.id);
        await repo.update(
          { id: old.id },
          { price: s.price, originalPrice: s.originalPrice, image: s.image, position: i },
        );
        if (old.price !== s.price || old.originalPrice !== s.originalPrice)
          await recordAudit(tx, actor, 'sku.price', 'sku', old.id, {
            productId,
            from: { price: old.price, originalPrice: old.originalPrice },
            to: { price: s.price, originalPrice: s.originalPrice },
          });
      } else {
        const skuId = newId('sku');
        result.added.push(skuId);
        await repo.insert({
          id: skuId,
          productId,
          specValues: s.specValues,
          specKey: specKeyOf(s.specValues),
          price: s.price,
          originalPrice: s.originalPrice,
          stock: s.initialStock,
          image: s.image,
          position: i,
        });
      }
    }
    // Orders keep their own copy of what was bought; carts drop a SKU that no longer exists.
    for (const gone of existing.values()) {
      result.removed.push(gone.id);
      await repo.delete({ id: gone.id });
    }
    return result;
  }

  async setPublished(ctx: Ctx, actor: StaffPrincipal, id: string, published: boolean): Promise<AdminProduct> {
    return withTx(this.db, ctx, async ({ tx }) => {
      const changed = await tx
        .createQueryBuilder()
        .update(ProductEntity)
        .set({ published })
        .where('id = :id AND published = :was', { id, was: !published })
        .execute();
      if (changed.affected === 0) {
        // Already in that state (no change, no audit entry), or no such product.
        if (!(await tx.getRepository(ProductEntity).existsBy({ id }))) throw new NotFoundError('Product');
      } else {
        await recordAudit(tx, actor, published ? 'product.publish' : 'product.unpublish', 'product', id);
      }
      return this.getProduct(id, tx);
    });
  }

  // Prices and stock ------------------------------------------------------------------

  async setPrice(ctx: Ctx, actor: StaffPrincipal, skuId: string, input: Out<typeof SkuPriceChange>): Promise<AdminSku> {
    return withTx(this.db, ctx, async ({ tx }) => {
      const before = await this.requireSku(tx, skuId);
      const originalPrice = input.originalPrice === undefined ? before.originalPrice : input.originalPrice;
      await tx.getRepository(SkuEntity).update({ id: skuId }, { price: input.price, originalPrice });
      await recordAudit(tx, actor, 'sku.price', 'sku', skuId, {
        productId: before.productId,
        from: { price: before.price, originalPrice: before.originalPrice },
        to: { price: input.price, originalPrice },
      });
      return this.skuOut(tx, skuId);
    });
  }

  /** Sets stock to a counted number (a stocktake). */
  async setStock(ctx: Ctx, actor: StaffPrincipal, skuId: string, stock: number): Promise<AdminSku> {
    return withTx(this.db, ctx, async ({ tx }) => {
      const before = await this.requireSku(tx, skuId);
      await tx.getRepository(SkuEntity).update({ id: skuId }, { stock });
      await recordAudit(tx, actor, 'sku.stock', 'sku', skuId, {
        productId: before.productId,
        mode: 'set',
        from: before.stock,
        to: stock,
      });
      return this.skuOut(tx, skuId);
    });
  }

  /** Adds or takes off units in one conditional update: it never lands below zero. */
  async adjustStock(
    ctx: Ctx,
    actor: StaffPrincipal,
    skuId: string,
    input: Out<typeof SkuStockAdjust>,
  ): Promise<AdminSku> {
    return withTx(this.db, ctx, async ({ tx }) => {
      const result = await tx
        .createQueryBuilder()
        .update(SkuEntity)
        .set({ stock: () => 'stock + :delta' })
        .where('id = :id AND stock + :delta >= 0', { id: skuId, delta: input.delta })
        .execute();
      if (result.affected !== 1) {
        const sku = await this.requireSku(tx, skuId);
        throw new AppError(ErrorCode.OUT_OF_STOCK, 'Stock cannot go below zero.', [
          { path: 'body.delta', message: `would take stock below zero (${sku.stock} on hand)` },
        ]);
      }
      // Our update holds the row, so this read sees exactly what it left.
      const after = await this.requireSku(tx, skuId);
      await recordAudit(tx, actor, 'sku.stock', 'sku', skuId, {
        productId: after.productId,
        mode: 'adjust',
        delta: input.delta,
        from: after.stock - input.delta,
        to: after.stock,
        ...(input.reason ? { reason: input.reason } : {}),
      });
      return { ...skuView(after), productId: after.productId };
    });
  }

  // Helpers ---------------------------------------------------------------------------

  private async requireCategory(tx: EntityManager, categoryId: string): Promise<void> {
    if (!(await tx.getRepository(CategoryEntity).existsBy({ id: categoryId })))
      throw new ValidationError([{ path: 'body.categoryId', message: 'is not a category of this shop' }]);
  }

  private async requireSku(tx: EntityManager, skuId: string): Promise<SkuEntity> {
    const sku = await tx.getRepository(SkuEntity).findOneBy({ id: skuId });
    if (!sku) throw new NotFoundError('SKU');
    return sku;
  }

  private async skuOut(tx: EntityManager, skuId: string): Promise<AdminSku> {
    const sku = await this.requireSku(tx, skuId);
    return { ...skuView(sku), productId: sku.productId };
  }
}

/** `{ field: { from, to } }` for each given field whose value differs. */
function changes(before: object, after: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, to] of Object.entries(after)) {
    if (to === undefined) continue;
    const from = (before as Record<string, unknown>)[k];
    if (JSON.stringify(from) !== JSON.stringify(to)) out[k] = { from, to };
  }
  return out;
}
