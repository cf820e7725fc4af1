/**
 * The sandbox: an offline stand-in for WeChat (official-account and mini-program APIs,
 * WeChat Pay v3, pushes, simulated users). This first slice is the running shell: a
 * health route and the console's landing page; the WeChat surfaces mount here.
 */
import Koa from 'koa';
import Router from 'koa-router';

export interface SandboxOptions {
  /** Where the merchant server lives, shown on the console. */
  merchantBaseUrl: string;
}

const page = (opts: SandboxOptions) => `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>chatmall sandbox · 微信沙箱</title>
<style>
  body { font: 15px/1.6 system-ui, "WenQuanYi Micro Hei", sans-serif; margin: 0; background: #f3f3f1; color: #222; }
  header { background: #07c160; color: #fff; padding: 20px 24px; }
  main { max-width: 760px; margin: 0 auto; padding: 16px 24px; }
  section { background: #fff; border-radius: 10px; padding: 12px 18px; margin: 14px 0; }
  code { background: #f0f0f0; padding: 1px 5px; border-radius: 4px; }
</style></head>
<body>
<header><h1>chatmall sandbox · 微信沙箱</h1><div>An offline WeChat for development and tests. Nothing here reaches WeChat.</div></header>
<main>
  <section><h2>Merchant server</h2><p>This sandbox plays WeChat for the chatmall server at <code>${opts.merchantBaseUrl}</code>.</p></section>
  <section><h2>Status</h2><p>Health: <a href="/healthz"><code>/healthz</code></a></p></section>
</main>
</body></html>`;

export function createSandboxApp(opts: SandboxOptions): Koa {
  const app = new Koa();
  const router = new Router();
  router.get('/healthz', (ctx: Koa.Context) => {
    ctx.body = { status: 'ok', service: 'chatmall-sandbox' };
  });
  router.get('/', (ctx: Koa.Context) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = page(opts);
  });
  app.use(router.routes() as unknown as Koa.Middleware);
  return app;
}
