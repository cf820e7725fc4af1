/** The sandbox playing WeChat, in-process on an ephemeral port, with throwaway state. */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox/src/app';

export interface RunningSandbox {
  sandbox: Sandbox;
  url: string;
  stateDir: string;
  close(): Promise<void>;
}

export async function startSandbox(opts: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  const stateDir = opts.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-'));
  const sandbox = createSandbox({
    // Until a test points it at its server, pushes go nowhere.
    merchantBaseUrl: 'http://127.0.0.1:1',
    selfBaseUrl: 'http://127.0.0.1:0',
    logLevel: 'silent',
    ...opts,
    stateDir,
  });
  const server = http.createServer(sandbox.app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    sandbox,
    stateDir,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await sandbox.close();
    },
  };
}
