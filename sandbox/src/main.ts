/** Starts the sandbox on SANDBOX_HOST:SANDBOX_PORT (defaults 127.0.0.1:3100). */
import http from 'node:http';
import { createSandboxApp } from './app';

const host = process.env.SANDBOX_HOST ?? '127.0.0.1';
const port = Number(process.env.SANDBOX_PORT ?? 3100);
const merchantBaseUrl = process.env.PUBLIC_BASE_URL ?? 'http://127.0.0.1:3000';

const server = http.createServer(createSandboxApp({ merchantBaseUrl }).callback());
server.listen(port, host, () => console.log(`sandbox listening on http://${host}:${port}`));

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
