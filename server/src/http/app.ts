/**
 * Composes the Koa application: request context → error mapping → body reading →
 * health and API routes → media and storefront files. Built without opening a port so
 * tests can drive `app.callback()` directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import cors from '@koa/cors';
import Koa from 'koa';
import Router from 'koa-router';
import serve from 'koa-static';
import type { DataSource } from 'typeorm';
import type { Config } from '../kernel/config';
import type { Logger } from '../kernel/logger';
import type { Redis } from '../kernel/redis';
import { CatalogService } from '../modules/catalog/catalog.service';
import { catalogRoutes } from '../modules/catalog/catalog.routes';
import { healthRoutes } from '../modules/health/health.routes';
import { ContractRouter } from './contract-router';
import { errorMiddleware } from './middleware/errors';
import { jsonBody } from './middleware/json-body';
import { requestContextMiddleware } from './middleware/request-context';

export interface AppDeps {
  config: Config;
  log: Logger;
  db: DataSource;
  redis: Redis;
}

export interface BuiltApp {
  app: Koa;
  api: ContractRouter;
}

export function createApp(deps: AppDeps): BuiltApp {
  const app = new Koa({ proxy: deps.config.env === 'production' });
  app.silent = true; // errors are logged by the error middleware, once

  const system = new Router();
  healthRoutes(system, deps);

  const api = new ContractRouter();
  catalogRoutes(api, new CatalogService(deps.db));

  app.use(requestContextMiddleware(deps.log));
  app.use(errorMiddleware());
  // The storefront's H5 build calls the API from the same origin; cross-origin callers
  // (a dev server on another port) are allowed to read public catalog data.
  app.use(cors({ allowMethods: 'GET,POST,PUT,PATCH,DELETE', exposeHeaders: ['X-Request-Id'] }));
  app.use(jsonBody());
  app.use(system.routes() as unknown as Koa.Middleware);
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
  return { app, api };
}
