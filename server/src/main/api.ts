/** The API process: serves the composed Koa app until SIGINT/SIGTERM, then drains and closes. */
import http from 'node:http';
import { ConfigError, loadConfig } from '../kernel/config';
import { closeRuntime, onShutdown, openRuntime } from '../kernel/runtime';
import { compose } from './compose';
import { schema } from './data-source';

async function main() {
  const config = loadConfig();
  const rt = await openRuntime(config, 'api', schema);
  const composition = compose(rt);
  const server = http.createServer(composition.app.callback());
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(config.api.port, config.api.host, resolve));
  rt.log.info({ url: `http://${config.api.host}:${config.api.port}` }, 'api listening');

  onShutdown(rt.log, async () => {
    // Stop accepting, let in-flight requests finish (bounded), then close dependencies.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceMs).unref());
    await Promise.race([closed, grace]);
    server.closeAllConnections();
    await composition.close();
    await closeRuntime(rt);
  });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('api failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
