import { contract } from '@chatmall/shared';
import type { ContractRouter } from '../../http/contract-router';
import type { ReviewService } from './review.service';

export function reviewRoutes(router: ContractRouter, reviews: ReviewService): void {
  router.handle(contract.createReview, async ({ ctx, principal, body }) =>
    reviews.create(ctx, principal.buyerId, body),
  );
  router.handle(contract.updateReview, async ({ ctx, principal, params, body }) =>
    reviews.update(ctx, principal.buyerId, params.id, body),
  );
  router.handle(contract.listOrderReviews, async ({ principal, params }) => ({
    items: await reviews.listForOrder(principal.buyerId, params.id),
  }));
  router.handle(contract.listProductReviews, async ({ params, query }) =>
    reviews.listForProduct(params.id, { withPhotos: query.photos === '1', cursor: query.cursor, limit: query.limit }),
  );

  router.handle(contract.adminListReviews, async ({ query }) =>
    reviews.adminList({
      productId: query.productId,
      hidden: query.hidden === undefined ? undefined : query.hidden === '1',
      rating: query.rating === undefined ? undefined : Number(query.rating),
      withPhotos: query.photos === undefined ? undefined : query.photos === '1',
      cursor: query.cursor,
      limit: query.limit,
    }),
  );
  router.handle(contract.replyToReview, async ({ ctx, principal, params, body }) =>
    reviews.reply(ctx, principal, params.id, body.reply),
  );
  router.handle(contract.hideReview, async ({ ctx, principal, params, body }) =>
    reviews.setHidden(ctx, principal, params.id, true, body.reason),
  );
  router.handle(contract.unhideReview, async ({ ctx, principal, params }) =>
    reviews.setHidden(ctx, principal, params.id, false),
  );
}
