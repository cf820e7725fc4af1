/**
 * Starts the sandbox where configuration says (SANDBOX_HOST:SANDBOX_PORT, state in
 * SANDBOX_STATE_DIR, pushes to PUBLIC_BASE_URL), read by the loader the server uses.
 */
import http from 'node:http';
import { createSandbox } from './app';
import { loadSandboxConfig } from './config';

const config = loadSandboxConfig();
const { host, port, stateDir } = config;

const sandbox = createSandbox(config);
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
