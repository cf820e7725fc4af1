/** The worker process: runs every module's jobs and subscribers until SIGINT/SIGTERM, then finishes active jobs and closes. */
import { ConfigError, loadConfig } from '../kernel/config';
import { closeRuntime, onShutdown, openRuntime } from '../kernel/runtime';
import { compose } from './compose';
import { schema } from './data-source';
import { startJobs } from './jobs';

async function main() {
  const config = loadConfig();
  const rt = await openRuntime(config, 'worker', schema);
  const composition = compose(rt);
  const jobs = await startJobs(composition);
  rt.log.info('worker started');

  onShutdown(rt.log, async () => {
    await jobs.stop();
    await composition.close();
    await closeRuntime(rt);
  });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('worker failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
