/**
 * `npm run dashboard:rebuild -- --from YYYY-MM-DD --to YYYY-MM-DD`: recomputes the dashboard's
 * daily aggregate rows for those China-time days (both included) from the source tables,
 * through the orders, payments and auth modules' read methods, replacing each day's rows in
 * one transaction. Without --to, up to today; without --from, the 90 days ending --to.
 */
import { parseArgs } from 'node:util';
import { CalendarDate, chinaDate } from '@chatmall/shared';
import { ConfigError, loadConfig } from '../kernel/config';
import { addDays } from '../modules/dashboard/days';
import { createDataSource } from './data-source';
import { composeOffline } from './offline';

async function main() {
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } });
  const to = values.to ?? chinaDate(new Date());
  const from = values.from ?? addDays(to, -89);
  for (const [name, v] of [
    ['--from', from],
    ['--to', to],
  ] as const)
    if (!CalendarDate.safeParse(v).success) throw new Error(`${name} must be a date as YYYY-MM-DD (got ${v})`);
  if (from > to) throw new Error(`--from ${from} is after --to ${to}`);
  const config = loadConfig();
  const db = createDataSource(config);
  await db.initialize();
  const app = composeOffline(config, db);
  try {
    const started = Date.now();
    const days = await app.services.dashboard.rebuild(from, to);
    console.log(`dashboard rebuilt: ${days} days, ${from} … ${to}, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await app.closeOffline();
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(
    err instanceof ConfigError
      ? err.message
      : `dashboard rebuild failed: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});
