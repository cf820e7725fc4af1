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
  // A red envelope shared into a big group opens hundreds of connections at once. Node's default
  // backlog (511) lets the kernel drop the SYNs beyond it, and those buyers' phones wait 1, 3, 7 s
  // to try again; the kernel's own cap (somaxconn) still applies.
  await new Promise<void>((resolve) =>
    server.listen({ port: config.api.port, host: config.api.host, backlog: 4096 }, resolve),
  );
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
