/**
 * The Koa application: request context → error mapping → body reading → probes and WeChat
 * callbacks (the modules' system routes) → CORS → API routes (the modules' contract routes)
 * → media, the merchant console (/console/) and storefront files. Built without opening a port so tests can drive
 * `app.callback()` directly. Which modules exist is the composition root's business.
 */
import fs from 'node:fs';
import path from 'node:path';
import cors from '@koa/cors';
import { contract } from '@chatmall/shared';
import Koa from 'koa';
import Router from 'koa-router';
import serve from 'koa-static';
import type { Config } from '../kernel/config';
import type { ErrorMappingOptions } from '../kernel/errors';
import type { Logger } from '../kernel/logger';
import type { AppModule } from '../modules/module';
import { ContractRouter, type Authenticate, type ResolveBoundStaff } from './contract-router';
import { errorMiddleware } from './middleware/errors';
import { readBody } from './middleware/body';
import { requestContextMiddleware } from './middleware/request-context';

export interface HttpApp {
  app: Koa;
  /** The contract-bound router (tests check every contract entry is bound). */
  api: ContractRouter;
}

export function createHttpApp(deps: {
  config: Config;
  log: Logger;
  modules: readonly AppModule[];
  authenticate: Authenticate;
  /** The staff member bound to a buyer's WeChat (the mini-program's merchant pages). */
  boundStaff?: ResolveBoundStaff;
  errors?: ErrorMappingOptions;
}): HttpApp {
  const { config } = deps;
  const app = new Koa({ proxy: config.env === 'production' });
  app.silent = true; // errors are logged by the error middleware, once

  const system = new Router();
  const api = new ContractRouter(deps.authenticate, deps.boundStaff);
  for (const m of deps.modules) {
    m.systemRoutes?.(system);
    m.routes?.(api);
  }

  app.use(requestContextMiddleware(deps.log));
  app.use(errorMiddleware({ ...deps.errors, outageLog: deps.log }));
  // Image uploads are raw bytes with their own (larger) limit; every other body keeps 1 MB.
  app.use(
    readBody(undefined, {
      [`POST ${contract.uploadImage.path}`]: config.mediaMaxUploadBytes,
      [`POST ${contract.uploadBuyerImage.path}`]: config.mediaMaxUploadBytes,
    }),
  );
  // Probes and WeChat's server-to-server callbacks: no browser calls them, so no CORS.
  app.use(system.routes() as unknown as Koa.Middleware);
  // The storefront's H5 build calls the API from the same origin; cross-origin callers
  // (a dev server on another port) are allowed to read public catalog data.
  app.use(cors({ allowMethods: 'GET,POST,PUT,PATCH,DELETE', exposeHeaders: ['X-Request-Id', 'Retry-After'] }));
  app.use(api.middleware());

  const media = serve(config.mediaDir, { maxage: 3600_000, index: false });
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

  // The merchant console (a single-page app under /console/): hashed assets are cached for a
  // year, index.html never, and any other path under /console/ answers index.html so a deep
  // link or a reload lands on its page.
  const consoleIndex = path.join(config.consoleDir, 'index.html');
  if (fs.existsSync(consoleIndex)) {
    const consoleFiles = serve(config.consoleDir, {
      index: 'index.html',
      maxage: 0,
      setHeaders: (res, file) => {
        const immutable = file.includes(`${path.sep}assets${path.sep}`);
        res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    app.use(async (ctx, next) => {
      if (ctx.path === '/console') return ctx.redirect('/console/');
      if (!ctx.path.startsWith('/console/') || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
      const original = ctx.path;
      ctx.path = original.slice('/console'.length);
      try {
        await consoleFiles(ctx, async () => undefined);
      } finally {
        ctx.path = original;
      }
      if (ctx.body != null || original.startsWith('/console/assets/')) return;
      ctx.type = 'html';
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = fs.createReadStream(consoleIndex);
    });
  }

  const storefront = config.storefrontDir;
  if (fs.existsSync(path.join(storefront, 'index.html'))) {
    app.use(serve(storefront, { index: 'index.html', maxage: 0 }));
  }
  return { app, api };
}
