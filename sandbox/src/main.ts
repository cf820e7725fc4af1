/** Starts the sandbox on SANDBOX_HOST:SANDBOX_PORT (defaults 127.0.0.1:3100), state in SANDBOX_STATE_DIR. */
import http from 'node:http';
import path from 'node:path';
import { createSandbox } from './app';

const root = path.resolve(__dirname, '../..');
const host = process.env.SANDBOX_HOST ?? '127.0.0.1';
const port = Number(process.env.SANDBOX_PORT ?? 3100);
const stateDir = path.resolve(root, process.env.SANDBOX_STATE_DIR ?? '.data/sandbox');

const sandbox = createSandbox({
  merchantBaseUrl: process.env.PUBLIC_BASE_URL ?? 'http://127.0.0.1:3000',
  selfBaseUrl: `http://${host}:${port}`,
  stateDir,
  timeScale: Number(process.env.SANDBOX_TIME_SCALE ?? 1),
  logLevel: process.env.LOG_LEVEL ?? 'info',
});
const server = http.createServer(sandbox.app.callback());
server.listen(port, host, () => console.log(`sandbox listening on http://${host}:${port} (state in ${stateDir})`));

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close(() => {
    void sandbox.close().then(() => process.exit(0));
  });
  server.closeAllConnections();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
