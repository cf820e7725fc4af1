/**
 * The composition root: builds the kernel (database, Redis, queues), the WeChat clients and
 * every module's services once. The API process, the worker process, the test harness and
 * the benches all start from here, so the service graph exists in one place. Adding a
 * module is one line in `modules` below (its routes, jobs and subscribers come with it).
 */
import { pagePath } from '@chatmall/shared';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { createHttpApp, type HttpApp } from '../http/app';
import type { Config } from '../kernel/config';
import { uniqueKeyFields } from '../kernel/db';
import type { Logger } from '../kernel/logger';
import { createQueue, type QueueName } from '../kernel/queues';
import { createRedis, type Redis } from '../kernel/redis';
import type { MediaStorage } from '../kernel/storage';
import { addressesModule } from '../modules/addresses/addresses.module';
import { authModule } from '../modules/auth/auth.module';
import { wechatBindingModule } from '../modules/auth/wechat-binding.module';
import type { LoginCodeExchanger } from '../modules/auth/login.service';
import { miniProgramFor } from '../modules/auth/wechat-login';
import { cartModule } from '../modules/cart/cart.module';
import { catalogModule } from '../modules/catalog/catalog.module';
import { audienceModule } from '../modules/audience/audience.module';
import { campaignsModule } from '../modules/campaigns/campaigns.module';
import { couponsModule } from '../modules/coupons/coupons.module';
import { credentialsModule } from '../modules/credentials/credentials.module';
import { dashboardModule } from '../modules/dashboard/dashboard.module';
import { Subscribers } from '../modules/events';
import { favouritesModule } from '../modules/favourites/favourites.module';
import { healthModule } from '../modules/health/health.module';
import { mediaModule } from '../modules/media/media.module';
import { membershipModule } from '../modules/membership/membership.module';
import { merchantModule } from '../modules/merchant/merchant.module';
import type { AppModule, Kernel } from '../modules/module';
import { officialAccountModule } from '../modules/official-account/oa.module';
import { ordersModule } from '../modules/orders/orders.module';
import type { OrderScheduler } from '../modules/orders/order.service';
import type { PayNotificationHandler } from '../modules/payments/pay-notify.routes';
import { paymentsModule } from '../modules/payments/payments.module';
import { redEnvelopesModule } from '../modules/red-envelopes/red-envelopes.module';
import { followersModule } from '../modules/followers/followers.module';
import { autoRepliesModule } from '../modules/auto-replies/auto-replies.module';
import { touchpointsModule } from '../modules/touchpoints/touchpoints.module';
import { reviewsModule } from '../modules/reviews/reviews.module';
import { shopModule } from '../modules/shop/shop.module';
import { WechatPay } from '../wechat/pay/wechat-pay';

export interface ComposeDeps {
  config: Config;
  log: Logger;
  db: DataSource;
  redis: Redis;
  /** WeChat Pay for this merchant; built from config.wechatPay when absent. */
  wechatPay?: WechatPay;
  /** Receives Pay notifications instead of payments (tests of the notify route alone). */
  payNotifications?: PayNotificationHandler;
  /** Buyer sign-in codes; defaults to WeChat's code2Session for WECHAT_MP_APPID. */
  loginCodes?: LoginCodeExchanger;
  /** Where delayed order closes go; defaults to the BullMQ orders queue. */
  orderScheduler?: OrderScheduler;
  /** Where uploaded images go; defaults to MEDIA_DIR on local disk, served at /media/. */
  mediaStorage?: MediaStorage;
}

export function compose(deps: ComposeDeps) {
  const { config, log, db, redis } = deps;

  // Queues share one connection of their own (BullMQ needs blocking-safe settings), opened
  // on first use: the API process never opens it.
  let queueConnection: Redis | undefined;
  const queues = new Map<QueueName, Queue>();
  const kernel: Kernel = {
    config,
    log,
    db,
    redis,
    queue(name) {
      queueConnection ??= createRedis(config.redis.url, 'queue', log);
      const q = queues.get(name) ?? createQueue(name, queueConnection, config.queues.prefix, log);
      queues.set(name, q);
      return q;
    },
    wechat: {
      pay: deps.wechatPay ?? new WechatPay(config.wechatPay),
      miniProgram: miniProgramFor(config, { redis, db, log }),
    },
  };

  const health = healthModule(kernel);
  const auth = authModule(kernel, { loginCodes: deps.loginCodes });
  const shop = shopModule(kernel);
  const media = mediaModule(kernel, { storage: deps.mediaStorage });
  const shopName = async () => (await shop.services.settings.get()).name;
  const shippingRule = async () => (await shop.services.settings.get()).shipping;
  const cart = cartModule(kernel, { shippingRule });
  const coupons = couponsModule(kernel, {
    restoreOnFullRefund: async () => (await shop.services.settings.get()).restoreCouponOnFullRefund,
    registeredAt: (buyerId) => auth.services.buyers.registeredAt(buyerId),
  });
  const orders = ordersModule(
    kernel,
    {
      cart: cart.services.cart,
      shippingRule,
      couponLocks: coupons.services.coupons,
      // Membership is built after orders (it reads their facts); checkout reaches it when called.
      memberCheckout: {
        atCheckout: (buyerId) => membership.services.memberCheckout.atCheckout(buyerId),
        take: (ctx, a) => membership.services.memberCheckout.take(ctx, a),
      },
    },
    { scheduler: deps.orderScheduler },
  );
  const payments = paymentsModule(
    kernel,
    {
      orders: orders.services.orders,
      buyers: auth.services.buyers,
      shopName,
      orderPage: (id) => pagePath('order', { id }),
      buyerMedia: media.services.buyerMedia,
    },
    { notifications: deps.payNotifications },
  );
  const reviews = reviewsModule(kernel, { orders: orders.services.orders, buyerMedia: media.services.buyerMedia });
  const catalog = catalogModule(kernel, { ratings: reviews.services.reviews.ratingsOf });
  const dashboard = dashboardModule(kernel, { ...orders.services, ...payments.services, ...auth.services });
  const wechatBinding = wechatBindingModule(kernel);
  const redEnvelopes = redEnvelopesModule(kernel, {
    ...coupons.services,
    buyers: auth.services.buyers,
    orders: orders.services.orders,
  });
  const membership = membershipModule(kernel, {
    orders: orders.services.orders,
    openidOf: (buyerId) => auth.services.buyers.openidOf(buyerId),
    shopName,
    refundedTotal: (orderId) => payments.services.refunds.refundedTotal(orderId),
  });
  const followers = followersModule(kernel, { buyers: auth.services.buyers });
  const autoReplies = autoRepliesModule(kernel, {
    followers: followers.services.followers,
    coupons: coupons.services.coupons,
    oa: followers.services.officialAccountApi,
    shopName,
  });
  // Card events reach the official account's endpoint: the membership module handles them.
  membership.services.cardSync.register(autoReplies.services.officialAccountHandlers);
  const audience = audienceModule(kernel);
  const campaigns = campaignsModule(kernel, audience.services);
  const touchpoints = touchpointsModule(kernel, {
    oa: followers.services.officialAccountApi,
    shopName,
    orders: orders.services.orders,
    followers: followers.services.followers,
    welcomes: autoReplies.services.autoReplies,
  });
  const modules: AppModule[] = [
    health,
    officialAccountModule(kernel, { shopName, handlers: autoReplies.services.officialAccountHandlers }),
    auth,
    shop,
    catalog,
    media,
    cart,
    favouritesModule(kernel),
    addressesModule(kernel),
    orders,
    coupons,
    payments,
    reviews,
    dashboard,
    wechatBinding,
    merchantModule(kernel, { ...orders.services, ...payments.services, ...dashboard.services }),
    credentialsModule(kernel),
    redEnvelopes,
    followers,
    autoReplies,
    touchpoints,
    membership,
    audience,
    // After the official account: campaigns register their receipt handlers on its endpoint.
    campaigns,
  ];

  const subscribers = new Subscribers();
  for (const m of modules) m.subscribe?.(subscribers);

  const sessions = auth.services.sessions;
  const http: HttpApp = createHttpApp({
    config,
    log,
    modules,
    authenticate: (token) => sessions.resolve(token),
    boundStaff: (buyer) => wechatBinding.services.wechatBinding.boundStaff(buyer),
    // A duplicate key names the request field that holds it (a SKU's spec key is its place in `skus`).
    errors: { uniqueFields: uniqueKeyFields(db), fieldAliases: { specKey: 'skus' } },
  });

  return {
    kernel,
    modules,
    subscribers,
    ...http,
    services: {
      ...auth.services,
      ...shop.services,
      ...catalog.services,
      ...cart.services,
      ...orders.services,
      ...coupons.services,
      ...payments.services,
      ...media.services,
      ...reviews.services,
      ...dashboard.services,
      ...wechatBinding.services,
      ...redEnvelopes.services,
      ...followers.services,
      ...autoReplies.services,
      ...touchpoints.services,
      ...membership.services,
      ...audience.services,
      ...campaigns.services,
    },
    /** Closes the queues this composition opened (the runtime's database and Redis are the caller's). */
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      await Promise.all(modules.map((m) => m.close?.()));
      queues.clear();
      if (queueConnection) await queueConnection.quit().catch(() => queueConnection?.disconnect());
    },
  };
}

export type Composition = ReturnType<typeof compose>;
