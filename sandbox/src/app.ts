/**
 * The sandbox: an offline stand-in for WeChat (official-account and mini-program APIs,
 * WeChat Pay v3, pushes, simulated users). It composes the surfaces listed in
 * `surfaces.ts` behind one Koa app, plus a health route and the console's landing page.
 */
import cors from '@koa/cors';
import Koa from 'koa';
import Router from 'koa-router';
import type { DestinationStream } from 'pino';
import { createSandboxLogger } from './log';
import { loadSandboxConfig, type SandboxMerchant } from './config';
import { consolePage } from './console/page';
import { ConsoleResults } from './console/results';
import type { SandboxApps } from './platform/apps';
import type { SandboxContext, Surface } from './surface';
import { createSurfaces } from './surfaces';

export interface SandboxOptions {
  merchantBaseUrl: string;
  stateDir: string;
  selfBaseUrl: string;
  timeScale?: number;
  logLevel?: string;
  /** Where log lines go (stdout by default); tests capture them. */
  logDestination?: DestinationStream;
  /** The apps and merchant it plays; by default read from configuration (loadSandboxConfig). */
  apps?: SandboxApps;
  merchant?: SandboxMerchant;
}

export interface Sandbox {
  app: Koa;
  ctx: SandboxContext;
  surfaces: Surface[];
  close(): Promise<void>;
}

export function createSandbox(opts: SandboxOptions): Sandbox {
  const configured = opts.apps && opts.merchant ? undefined : loadSandboxConfig();
  const ctx: SandboxContext = {
    stateDir: opts.stateDir,
    merchantBaseUrl: opts.merchantBaseUrl.replace(/\/$/, ''),
    selfBaseUrl: opts.selfBaseUrl.replace(/\/$/, ''),
    timeScale: opts.timeScale ?? 1,
    log: createSandboxLogger(opts.logLevel ?? 'info', opts.logDestination),
    apps: opts.apps ?? configured!.apps,
    merchant: opts.merchant ?? configured!.merchant,
  };
  const app = new Koa();
  const router = new Router();
  const surfaces = createSurfaces(ctx);
  router.get('/healthz', (c: Koa.Context) => {
    c.body = { status: 'ok', service: 'chatmall-sandbox' };
  });
  const results = new ConsoleResults();
  router.get('/', (c: Koa.Context) => {
    c.type = 'text/html; charset=utf-8';
    c.body = consolePage(ctx, surfaces, results, c.query as { as?: string; r?: string });
  });
  for (const s of surfaces) s.mount(router, ctx);
  // The H5 storefront (another origin) plays its buyer through the simulated-user routes,
  // e.g. POST /sandbox/mp/users/:openid/login for a wx.login code. Only those get CORS.
  const sandboxCors = cors({ allowMethods: 'GET,POST' });
  app.use((c, next) => (c.path.startsWith('/sandbox/') ? sandboxCors(c, next) : next()));
  // A console form's answer is recorded here and shown on the page it redirects to.
  app.use((c, next) => {
    c.state.consoleResults = results;
    return next();
  });
  app.use(router.routes() as unknown as Koa.Middleware);
  app.use(router.allowedMethods() as unknown as Koa.Middleware);
  return {
    app,
    ctx,
    surfaces,
    async close() {
      for (const s of surfaces) await s.close?.();
    },
  };
}
