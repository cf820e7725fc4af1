/**
 * The sandbox: an offline stand-in for WeChat (official-account and mini-program APIs,
 * WeChat Pay v3, pushes, simulated users). It composes the surfaces listed in
 * `surfaces.ts` behind one Koa app, plus a health route and the console's landing page.
 */
import cors from '@koa/cors';
import Koa from 'koa';
import Router from 'koa-router';
import pino from 'pino';
import { loadSandboxConfig, type SandboxMerchant } from './config';
import { escapeHtml } from './html';
import type { SandboxApps } from './platform/apps';
import type { SandboxContext, Surface } from './surface';
import { createSurfaces } from './surfaces';

export interface SandboxOptions {
  merchantBaseUrl: string;
  stateDir: string;
  selfBaseUrl: string;
  timeScale?: number;
  logLevel?: string;
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

function consolePage(ctx: SandboxContext, surfaces: Surface[]): string {
  const sections = surfaces
    .map((s) => s.console?.())
    .filter((s): s is NonNullable<typeof s> => Boolean(s))
    .map((s) => `<section><h2>${escapeHtml(s.title)}</h2>${s.html}</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>chatmall sandbox · 微信沙箱</title>
<style>
  body { font: 15px/1.6 system-ui, "WenQuanYi Micro Hei", sans-serif; margin: 0; background: #f3f3f1; color: #222; }
  header { background: #07c160; color: #fff; padding: 20px 24px; }
  main { max-width: 860px; margin: 0 auto; padding: 16px 24px; }
  section { background: #fff; border-radius: 10px; padding: 12px 18px; margin: 14px 0; }
  code { background: #f0f0f0; padding: 1px 5px; border-radius: 4px; }
  table { border-collapse: collapse; } td, th { padding: 4px 8px; border-bottom: 1px solid #eee; text-align: left; }
</style></head>
<body>
<header><h1>chatmall sandbox · 微信沙箱</h1><div>An offline WeChat for development and tests. Nothing here reaches WeChat.</div></header>
<main>
  <section><h2>Merchant server</h2><p>This sandbox plays WeChat for the chatmall server at <code>${escapeHtml(ctx.merchantBaseUrl)}</code>.</p>
  <p>Health: <a href="/healthz"><code>/healthz</code></a></p></section>
${sections}
</main>
</body></html>`;
}

export function createSandbox(opts: SandboxOptions): Sandbox {
  const configured = opts.apps && opts.merchant ? undefined : loadSandboxConfig();
  const ctx: SandboxContext = {
    stateDir: opts.stateDir,
    merchantBaseUrl: opts.merchantBaseUrl.replace(/\/$/, ''),
    selfBaseUrl: opts.selfBaseUrl.replace(/\/$/, ''),
    timeScale: opts.timeScale ?? 1,
    log: pino({ name: 'sandbox', level: opts.logLevel ?? 'info' }),
    apps: opts.apps ?? configured!.apps,
    merchant: opts.merchant ?? configured!.merchant,
  };
  const app = new Koa();
  const router = new Router();
  const surfaces = createSurfaces(ctx);
  router.get('/healthz', (c: Koa.Context) => {
    c.body = { status: 'ok', service: 'chatmall-sandbox' };
  });
  router.get('/', (c: Koa.Context) => {
    c.type = 'text/html; charset=utf-8';
    c.body = consolePage(ctx, surfaces);
  });
  for (const s of surfaces) s.mount(router, ctx);
  // The H5 storefront (another origin) plays its buyer through the simulated-user routes,
  // e.g. POST /sandbox/mp/users/:openid/login for a wx.login code. Only those get CORS.
  const sandboxCors = cors({ allowMethods: 'GET,POST' });
  app.use((c, next) => (c.path.startsWith('/sandbox/') ? sandboxCors(c, next) : next()));
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
