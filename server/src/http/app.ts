/**
 * Composes the Koa application: request context → error mapping → body reading →
 * probes and WeChat callbacks → CORS → API routes → media and storefront files. Built
 * without opening a port so tests can drive `app.callback()` directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import cors from '@koa/cors';
import { contract } from '@chatmall/shared';
import Koa from 'koa';
import Router from 'koa-router';
import serve from 'koa-static';
import type { DataSource } from 'typeorm';
import type { Config } from '../kernel/config';
import type { Logger } from '../kernel/logger';
import type { Redis } from '../kernel/redis';
import { CatalogService } from '../modules/catalog/catalog.service';
import { catalogRoutes } from '../modules/catalog/catalog.routes';
import { CatalogAdminService } from '../modules/catalog/catalog-admin.service';
import { catalogAdminRoutes } from '../modules/catalog/catalog-admin.routes';
import { mediaRoutes } from '../modules/media/media.routes';
import { LocalDiskStorage, type MediaStorage } from '../kernel/storage';
import { healthRoutes } from '../modules/health/health.routes';
import { officialAccountRoutes } from '../modules/official-account/oa.routes';
import { payNotifyRoutes, type PayNotificationHandler } from '../modules/payments/pay-notify.routes';
import { PaymentService } from '../modules/payments/payment.service';
import { paymentReportRoutes, paymentRoutes, refundRoutes } from '../modules/payments/payments.routes';
import { PaymentReports } from '../modules/payments/payment-reports';
import { RefundService } from '../modules/payments/refund.service';
import { WechatPay } from '../wechat/pay/wechat-pay';
import { AddressService } from '../modules/addresses/address.service';
import { authRoutes, staffRoutes } from '../modules/auth/auth.routes';
import { LoginService, type LoginCodeExchanger } from '../modules/auth/login.service';
import { SessionService } from '../modules/auth/session.service';
import { miniProgramFor, wechatLoginCodes } from '../modules/auth/wechat-login';
import { buyerRoutes } from '../modules/cart/cart.routes';
import { CartService } from '../modules/cart/cart.service';
import { FavouriteService } from '../modules/favourites/favourite.service';
import { bullOrderScheduler } from '../modules/orders/order.jobs';
import { OrderService, type OrderScheduler } from '../modules/orders/order.service';
import { orderRoutes } from '../modules/orders/orders.routes';
import { ContractRouter } from './contract-router';
import { errorMiddleware } from './middleware/errors';
import { readBody } from './middleware/body';
import { requestContextMiddleware } from './middleware/request-context';

export interface AppDeps {
  config: Config;
  log: Logger;
  db: DataSource;
  redis: Redis;
  /** WeChat Pay for this merchant; built from config.wechatPay when absent. */
  wechatPay?: WechatPay;
  /** Receives Pay notifications; defaults to applying them to orders (PaymentService). */
  payNotifications?: PayNotificationHandler;
  /** Buyer sign-in codes; defaults to WeChat's code2Session for WECHAT_MP_APPID. */
  loginCodes?: LoginCodeExchanger;
  /** Where delayed order work goes; defaults to the BullMQ orders queue. */
  orderScheduler?: OrderScheduler;
  /** Where uploaded images go; defaults to MEDIA_DIR on local disk, served at /media/. */
  mediaStorage?: MediaStorage;
}

export interface BuiltApp {
  app: Koa;
  api: ContractRouter;
  services: {
    sessions: SessionService;
    logins: LoginService;
    orders: OrderService;
    cart: CartService;
    payments: PaymentService;
    refunds: RefundService;
  };
}

export function createApp(deps: AppDeps): BuiltApp {
  const app = new Koa({ proxy: deps.config.env === 'production' });
  app.silent = true; // errors are logged by the error middleware, once

  const system = new Router();
  healthRoutes(system, deps);
  officialAccountRoutes(system, deps);

  const sessions = new SessionService(deps.db);
  const api = new ContractRouter((token) => sessions.resolve(token));
  const logins = new LoginService(
    deps.db,
    sessions,
    deps.loginCodes ?? wechatLoginCodes(miniProgramFor(deps.config, deps.redis)),
  );
  const cart = new CartService(deps.db);
  const orders = new OrderService(
    deps.db,
    deps.config,
    deps.orderScheduler ?? bullOrderScheduler(deps.redis, deps.config.queues.prefix),
  );
  const wechatPay = deps.wechatPay ?? new WechatPay(deps.config.wechatPay);
  const refunds = new RefundService(deps.db, wechatPay, deps.log);
  const payments = new PaymentService(deps.db, orders, wechatPay, deps.log, refunds);
  payNotifyRoutes(system, {
    wechatPay,
    // Committed means answered: the side effects are outbox events the worker's relay sends on.
    handler: deps.payNotifications ?? {
      handle: async (n, raw) => void (await payments.applyNotification(n, raw)),
      refused: (raw, reason) => payments.recordRefused(raw, reason),
    },
  });
  paymentRoutes(api, payments);
  refundRoutes(api, refunds);
  paymentReportRoutes(api, new PaymentReports(deps.db, wechatPay));
  catalogRoutes(api, new CatalogService(deps.db), deps.config);
  catalogAdminRoutes(api, new CatalogAdminService(deps.db));
  mediaRoutes(api, { db: deps.db, storage: deps.mediaStorage ?? new LocalDiskStorage(deps.config.mediaDir) });
  authRoutes(api, { db: deps.db, logins, sessions });
  staffRoutes(api, { db: deps.db, logins });
  buyerRoutes(api, cart, new FavouriteService(deps.db), new AddressService(deps.db));
  orderRoutes(api, orders, cart);

  app.use(requestContextMiddleware(deps.log));
  app.use(errorMiddleware());
  // Image uploads are raw bytes with their own (larger) limit; every other body keeps 1 MB.
  app.use(readBody(undefined, { [`POST ${contract.uploadImage.path}`]: deps.config.mediaMaxUploadBytes }));
  // Probes and WeChat's server-to-server callbacks: no browser calls them, so no CORS.
  app.use(system.routes() as unknown as Koa.Middleware);
  // The storefront's H5 build calls the API from the same origin; cross-origin callers
  // (a dev server on another port) are allowed to read public catalog data.
  app.use(cors({ allowMethods: 'GET,POST,PUT,PATCH,DELETE', exposeHeaders: ['X-Request-Id'] }));
  app.use(api.middleware());

  const media = serve(deps.config.mediaDir, { maxage: 3600_000, index: false });
  app.use(async (ctx, next) => {
    if (!ctx.path.startsWith('/media/')) return next();
    const original = ctx.path;
    ctx.path = original.slice('/media'.length);
    try {
      await media(ctx, async () => undefined);
    } finally {
      ctx.path = original;
    }
  });

  const storefront = deps.config.storefrontDir;
  if (fs.existsSync(path.join(storefront, 'index.html'))) {
    app.use(serve(storefront, { index: 'index.html', maxage: 0 }));
  }
  return { app, api, services: { sessions, logins, orders, cart, payments, refunds } };
}
