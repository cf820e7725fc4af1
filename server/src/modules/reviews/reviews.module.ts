import type { BuyerMediaService } from '../media/buyer-media.service';
import type { AppModule, Kernel } from '../module';
import type { OrderService } from '../orders/order.service';
import { ReviewService } from './review.service';
import { reviewRoutes } from './reviews.routes';

/**
 * Reviews and each product's rating aggregate (the only writer of both). Orders are asked
 * through `OrderService.lineForReview`; photos are checked as the buyer's own uploads.
 */
export function reviewsModule(k: Kernel, deps: { orders: OrderService; buyerMedia: BuyerMediaService }) {
  const reviews = new ReviewService(k.db, deps.orders, deps.buyerMedia);
  return {
    name: 'reviews',
    services: { reviews },
    routes: (api) => reviewRoutes(api, reviews),
  } satisfies AppModule;
}
