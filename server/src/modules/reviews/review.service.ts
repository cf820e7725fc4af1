/**
 * Reviews: a buyer rates a product they received (one review per order line, edited at
 * most once within 7 days), the merchant replies or hides. Each product's rating aggregate
 * (`product_ratings`) moves in the same transaction as the review that moves it, so product
 * lists read one row per product. Orders are asked through `OrderService.lineForReview`:
 * this module never reads the orders' tables.
 */
import {
  newId,
  ratingAverage,
  REVIEW_EDIT_WINDOW_DAYS,
  type AdminReview,
  type MyReview,
  type ProductRating,
  type PublicReview,
} from '@chatmall/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { insertIgnore, isDuplicateKey, lockForUpdate } from '../../kernel/dialect';
import { ConflictError, NotFoundError, OrderStateError } from '../../kernel/errors';
import { newestFirst } from '../../kernel/pagination';
import { withTx, type Ctx } from '../../kernel/tx';
import { recordAudit } from '../auth/audit.service';
import type { StaffPrincipal } from '../auth/principal';
import type { BuyerMediaService } from '../media/buyer-media.service';
import type { OrderService } from '../orders/order.service';
import { ProductRatingEntity } from './product-rating.entity';
import { ReviewEntity } from './review.entity';

const EDIT_WINDOW_MS = REVIEW_EDIT_WINDOW_DAYS * 24 * 60 * 60 * 1000;
export const ANONYMOUS = '匿名买家';

export interface ReviewInput {
  rating: number;
  content: string;
  photos: string[];
  displayName: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const publicDto = (r: ReviewEntity): PublicReview => ({
  id: r.id,
  productId: r.productId,
  rating: r.rating,
  content: r.content,
  photos: r.photos,
  displayName: r.displayName ?? ANONYMOUS,
  spec: r.spec,
  reply: r.reply,
  repliedAt: iso(r.repliedAt),
  createdAt: r.createdAt.toISOString(),
  edited: r.editCount > 0,
});

const myDto = (r: ReviewEntity, now = new Date()): MyReview => {
  const until = new Date(r.createdAt.getTime() + EDIT_WINDOW_MS);
  return {
    ...publicDto(r),
    orderId: r.orderId,
    orderLineId: r.orderLineId,
    hidden: r.hidden,
    editableUntil: r.editCount === 0 && until > now ? until.toISOString() : null,
  };
};

const adminDto = (r: ReviewEntity): AdminReview => ({ ...myDto(r), buyerId: r.buyerId, hiddenAt: iso(r.hiddenAt) });

export class ReviewService {
  constructor(
    private readonly db: DataSource,
    private readonly orders: Pick<OrderService, 'lineForReview'>,
    private readonly buyerMedia: Pick<BuyerMediaService, 'assertOwned'>,
  ) {}

  /** 404 unless the line is on one of the buyer's orders; 409 before receipt; 409 when the line already has a review. */
  async create(ctx: Ctx, buyerId: string, input: ReviewInput & { orderLineId: string }): Promise<MyReview> {
    const line = await this.orders.lineForReview(buyerId, input.orderLineId);
    if (!line) throw new NotFoundError('Order line');
    if (!line.received)
      throw new OrderStateError('A product can be reviewed once receipt is confirmed (or the order completes).');
    const review = Object.assign(new ReviewEntity(), {
      id: newId('review'),
      orderLineId: line.id,
      orderId: line.orderId,
      buyerId,
      productId: line.productId,
      skuId: line.skuId,
      spec: line.specValues.join(' / ').slice(0, 120),
      rating: input.rating,
      content: input.content,
      photos: input.photos,
      hasPhotos: input.photos.length > 0,
      displayName: input.displayName,
      hidden: false,
      hiddenAt: null,
      reply: null,
      repliedAt: null,
      editCount: 0,
      editedAt: null,
    });
    try {
      await withTx(this.db, ctx, async (ctx) => {
        await this.buyerMedia.assertOwned(ctx, buyerId, input.photos, 'body.photos');
        // The unique index on the line is the guard: of two at once, one inserts, the other fails here.
        await ctx.tx.getRepository(ReviewEntity).insert(review);
        await this.moveRating(ctx.tx, review.productId, 1, review.rating, review.hasPhotos ? 1 : 0);
      });
    } catch (err) {
      if (isDuplicateKey(err))
        throw new ConflictError('This product on this order has already been reviewed; edit that review instead.');
      throw err;
    }
    return myDto(await this.db.getRepository(ReviewEntity).findOneByOrFail({ id: review.id }));
  }

  /** Replaces the review's rating, text, photos and name: once, within 7 days of writing it. */
  /** An edit changes exactly the fields named; the others keep what the buyer wrote first. */
  async update(
    ctx: Ctx,
    buyerId: string,
    id: string,
    patch: Partial<ReviewInput>,
    now = new Date(),
  ): Promise<MyReview> {
    await withTx(this.db, ctx, async (ctx) => {
      const { tx } = ctx;
      const r = await this.locked(tx, id);
      if (!r || r.buyerId !== buyerId) throw new NotFoundError('Review');
      if (r.editCount > 0) throw new ConflictError('A review can be edited once, and this one has been.');
      if (now.getTime() > r.createdAt.getTime() + EDIT_WINDOW_MS)
        throw new ConflictError(`A review can be edited within ${REVIEW_EDIT_WINDOW_DAYS} days of writing it.`);
      const input: ReviewInput = {
        rating: patch.rating ?? r.rating,
        content: patch.content ?? r.content,
        photos: patch.photos ?? r.photos,
        displayName: patch.displayName === undefined ? r.displayName : patch.displayName,
      };
      if (patch.photos) await this.buyerMedia.assertOwned(ctx, buyerId, patch.photos, 'body.photos');
      const hasPhotos = input.photos.length > 0;
      const res = await tx.getRepository(ReviewEntity).update(
        { id, editCount: 0 },
        {
          rating: input.rating,
          content: input.content,
          photos: input.photos,
          hasPhotos,
          displayName: input.displayName,
          editCount: 1,
          editedAt: now,
        },
      );
      if (!res.affected) throw new ConflictError('A review can be edited once, and this one has been.');
      if (!r.hidden)
        await this.moveRating(tx, r.productId, 0, input.rating - r.rating, Number(hasPhotos) - Number(r.hasPhotos));
    });
    return myDto(await this.db.getRepository(ReviewEntity).findOneByOrFail({ id }), now);
  }

  /** The buyer's reviews of one of their orders (another buyer's order simply has none of theirs). */
  async listForOrder(buyerId: string, orderId: string): Promise<MyReview[]> {
    const rows = await this.db.getRepository(ReviewEntity).find({ where: { buyerId, orderId }, order: { id: 'ASC' } });
    return rows.map((r) => myDto(r));
  }

  async ratingOf(productId: string): Promise<ProductRating> {
    const row = await this.db.getRepository(ProductRatingEntity).findOneBy({ productId });
    return {
      average: row ? ratingAverage(row.ratingSum, row.reviewCount) : 0,
      count: row?.reviewCount ?? 0,
      withPhotos: row?.photoCount ?? 0,
    };
  }

  /** Ratings of the products that have any, for product lists: one indexed read. */
  ratingsOf = async (productIds: readonly string[]): Promise<Map<string, { average: number; count: number }>> => {
    if (!productIds.length) return new Map();
    const rows = await this.db.getRepository(ProductRatingEntity).findBy({ productId: In([...productIds]) });
    return new Map(
      rows
        .filter((r) => r.reviewCount > 0)
        .map((r) => [r.productId, { average: ratingAverage(r.ratingSum, r.reviewCount), count: r.reviewCount }]),
    );
  };

  /** A product's visible reviews, newest first; `withPhotos` is the 有图 filter. */
  async listForProduct(productId: string, page: { withPhotos: boolean; cursor?: string; limit: number }) {
    const qb = this.db
      .getRepository(ReviewEntity)
      .createQueryBuilder('r')
      .where('r.product_id = :productId AND r.hidden = :hidden', { productId, hidden: false });
    if (page.withPhotos) qb.andWhere('r.has_photos = :hasPhotos', { hasPhotos: true });
    const [rating, res] = await Promise.all([this.ratingOf(productId), newestFirst(qb, page)]);
    return { rating, items: res.items.map(publicDto), nextCursor: res.nextCursor };
  }

  async adminList(q: {
    productId?: string;
    hidden?: boolean;
    rating?: number;
    withPhotos?: boolean;
    cursor?: string;
    limit: number;
  }) {
    const qb = this.db.getRepository(ReviewEntity).createQueryBuilder('r');
    if (q.productId) qb.andWhere('r.product_id = :productId', { productId: q.productId });
    if (q.hidden !== undefined) qb.andWhere('r.hidden = :hidden', { hidden: q.hidden });
    if (q.rating !== undefined) qb.andWhere('r.rating = :rating', { rating: q.rating });
    if (q.withPhotos !== undefined) qb.andWhere('r.has_photos = :hasPhotos', { hasPhotos: q.withPhotos });
    const res = await newestFirst(qb, q);
    return { items: res.items.map(adminDto), nextCursor: res.nextCursor };
  }

  async reply(ctx: Ctx, actor: StaffPrincipal, id: string, reply: string, now = new Date()): Promise<AdminReview> {
    await withTx(this.db, ctx, async ({ tx }) => {
      const res = await tx.getRepository(ReviewEntity).update({ id }, { reply, repliedAt: now });
      if (!res.affected) throw new NotFoundError('Review');
      await recordAudit(tx, actor, 'review.reply', 'review', id, { reply });
    });
    return this.adminGet(id);
  }

  /** Hides (or shows again) a review: out of (back into) the product page and its rating, audited. */
  async setHidden(ctx: Ctx, actor: StaffPrincipal, id: string, hidden: boolean, reason = '', now = new Date()) {
    await withTx(this.db, ctx, async ({ tx }) => {
      const r = await this.locked(tx, id);
      if (!r) throw new NotFoundError('Review');
      const res = await tx
        .getRepository(ReviewEntity)
        .update({ id, hidden: !hidden }, { hidden, hiddenAt: hidden ? now : null });
      if (!res.affected) return; // already so: nothing to move, nothing to audit
      const sign = hidden ? -1 : 1;
      await this.moveRating(tx, r.productId, sign, sign * r.rating, sign * Number(r.hasPhotos));
      await recordAudit(tx, actor, hidden ? 'review.hide' : 'review.unhide', 'review', id, {
        productId: r.productId,
        rating: r.rating,
        ...(hidden ? { reason } : {}),
      });
    });
    return this.adminGet(id);
  }

  private async adminGet(id: string): Promise<AdminReview> {
    return adminDto(await this.db.getRepository(ReviewEntity).findOneByOrFail({ id }));
  }

  private locked(tx: EntityManager, id: string): Promise<ReviewEntity | null> {
    return lockForUpdate(tx.getRepository(ReviewEntity).createQueryBuilder('r').where('r.id = :id', { id })).getOne();
  }

  /** Moves a product's aggregate by relative amounts (never read-then-write), creating its row on first use. */
  private async moveRating(tx: EntityManager, productId: string, count: number, sum: number, photos: number) {
    if (!count && !sum && !photos) return;
    await tx.query(`${insertIgnore(tx)} INTO product_ratings (product_id) VALUES (?)`, [productId]);
    const int = (n: number) => String(Math.trunc(n)); // integers computed here, never caller text
    await tx
      .getRepository(ProductRatingEntity)
      .createQueryBuilder()
      .update()
      .set({
        reviewCount: () => `review_count + ${int(count)}`,
        ratingSum: () => `rating_sum + ${int(sum)}`,
        photoCount: () => `photo_count + ${int(photos)}`,
      })
      .where('product_id = :productId', { productId })
      .execute();
  }
}
