#!/usr/bin/env node
// `npm test`: every check chatmall has, on real MariaDB and Redis, ending with one line
// `N passed, N failed`. Jest tests count one each; every other check (typecheck, lint,
// builds, package size) counts as one. Exits non-zero if anything failed.
import fs from 'node:fs';
import path from 'node:path';
import { formatSignInScripts, signInScripts, SIGN_IN_LIMIT_BYTES } from './console-size.mjs';
import { dirSize, ensureDependencies, log, root, run, runSync, servicesEnv } from './lib.mjs';

const resultsDir = path.join(root, 'test-results');
fs.mkdirSync(resultsDir, { recursive: true });
/** What the weapp build ships with in tests (miniapp/test/weapp/ reads them back). */
const WEAPP_API_BASE = 'https://shop.example.com/';
const WEAPP_APPID = 'wx5e1ec7ab1e000001';
const MAIN_PACKAGE_LIMIT = 1024 * 1024; // WeChat refuses 2 MB; we hold the main package under 1 MB

let passed = 0;
let failed = 0;
const failures = [];

function record(name, ok) {
  if (ok) passed++;
  else {
    failed++;
    failures.push(name);
  }
  log(`${ok ? 'PASS' : 'FAIL'} ${name}`);
}

async function check(name, cmd, args, env) {
  log(name);
  record(name, (await run(cmd, args, { env })) === 0);
}

async function jest(name, args, env) {
  log(`jest: ${name}`);
  const out = path.join(resultsDir, `jest-${name}.json`);
  fs.rmSync(out, { force: true });
  const code = await run(
    path.join(root, 'node_modules/.bin/jest'),
    ['--ci', '--json', `--outputFile=${out}`, ...args],
    { env },
  );
  let counted = false;
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
    for (const suite of r.testResults) {
      for (const t of suite.assertionResults) if (t.status === 'failed') failures.push(t.fullName);
      if (suite.status === 'failed' && suite.assertionResults.length === 0)
        failures.push(`${path.relative(root, suite.name)} (did not run)`);
    }
    counted = r.numTotalTests > 0 || r.numRuntimeErrorTestSuites > 0;
    if (code !== 0 && r.numFailedTests + r.numRuntimeErrorTestSuites === 0)
      record(`jest ${name} exited ${code}`, false);
  }
  if (!counted && code !== 0) record(`jest ${name} (no results)`, false);
}

async function main() {
  const t0 = Date.now();
  if ((await ensureDependencies()) !== 0) record('npm ci', false);

  log('services: private MariaDB, Redis and a three-node Redis Cluster (the red-envelope scripts)');
  const status = runSync('bash', ['scripts/services.sh', 'status']).stdout ?? '';
  const wasRunning = /^(mariadb|redis): running/m.test(status);
  const clusterWasRunning = /^cluster: running/m.test(status);
  const up = await run('bash', ['scripts/services.sh', 'up', 'mariadb', 'redis']);
  record('services up (MariaDB, Redis)', up === 0);
  // The cluster on its own: if it cannot start, only the cluster test fails, not every test.
  const clusterUp = await run('bash', ['scripts/services.sh', 'up', 'cluster']);
  record('Redis Cluster up (3 nodes)', clusterUp === 0);
  const browserOk = (await run('bash', ['scripts/ensure-packages.sh', 'chromium', 'fonts-wqy-microhei'])) === 0;
  record('browser installed (chromium, fonts-wqy-microhei)', browserOk);

  const env = { NODE_ENV: 'test', ...servicesEnv() };

  await check('typecheck', 'npm', ['run', '--silent', 'typecheck']);
  await check('lint', 'npm', ['run', '--silent', 'lint']);

  if (up === 0) {
    await jest('unit-integration', ['--selectProjects', 'shared', 'server', 'sandbox', 'miniapp', 'console'], env);
    // Fault tests stop and restart MariaDB and Redis, so they run alone.
    await jest('faults', ['--selectProjects', 'faults', '--runInBand'], env);
  }

  // A release build as a merchant ships it: the API's origin with a trailing slash (normalised)
  // and an appid; miniapp/test/weapp/ boots this bundle and checks where its requests go.
  await check('miniapp build (weapp)', 'npm', ['run', '--silent', 'build:weapp', '-w', '@chatmall/miniapp'], {
    NODE_ENV: 'production',
    CHATMALL_API_BASE: WEAPP_API_BASE,
    WECHAT_MP_APPID: WEAPP_APPID,
  });
  const weappDir = path.join(root, 'miniapp/dist/weapp');
  if (fs.existsSync(weappDir)) {
    // The main package is everything outside subpackage roots declared in app.json.
    const appJson = JSON.parse(fs.readFileSync(path.join(weappDir, 'app.json'), 'utf8'));
    const subRoots = (appJson.subPackages ?? appJson.subpackages ?? []).map((s) => s.root.replace(/\/$/, ''));
    const total = dirSize(weappDir);
    const sub = subRoots.reduce((n, r) => n + dirSize(path.join(weappDir, r)), 0);
    const main = total - sub;
    log(
      `weapp main package: ${(main / 1024).toFixed(1)} KiB (limit ${MAIN_PACKAGE_LIMIT / 1024} KiB); subpackages ${(sub / 1024).toFixed(1)} KiB`,
    );
    record('weapp main package under 1 MB', main < MAIN_PACKAGE_LIMIT);
    // The bundle just built, booted in miniprogram-simulate: WeChat's wcc/wcsc compile every
    // WXML/WXSS, home, product and cart render from the real API (wx.login via the sandbox),
    // and every request goes to the request domain it was built for.
    if (up === 0)
      await jest('weapp', ['--selectProjects', 'weapp', '--runInBand'], {
        ...env,
        CHATMALL_API_BASE: WEAPP_API_BASE,
        WECHAT_MP_APPID: WEAPP_APPID,
      });
  }
  await check('miniapp build (h5)', 'npm', ['run', '--silent', 'build:h5', '-w', '@chatmall/miniapp']);
  // The merchant console, before e2e (its tests sign in at /console/): what the sign-in route
  // loads is printed chunk by chunk and held under the limit; every other route loads lazily.
  await check('console build', 'npm', ['run', '--silent', 'build', '-w', '@chatmall/console']);
  const consoleDist = path.join(root, 'console/dist');
  if (fs.existsSync(path.join(consoleDist, 'index.html'))) {
    const size = signInScripts(consoleDist);
    log(formatSignInScripts(size));
    record(
      `console sign-in route under ${SIGN_IN_LIMIT_BYTES / 1000} KB of gzipped JS`,
      size.total <= SIGN_IN_LIMIT_BYTES,
    );
  }

  if (up === 0 && browserOk) await jest('e2e', ['--selectProjects', 'e2e', '--runInBand'], env);

  // Leave the machine as we found it: stop the servers this run started (keep them with
  // CHATMALL_KEEP_SERVICES=1 to save a second on the next run).
  if (up === 0 && !wasRunning && !process.env.CHATMALL_KEEP_SERVICES)
    await run('bash', ['scripts/services.sh', 'down', 'mariadb', 'redis']);
  if (clusterUp === 0 && !clusterWasRunning && !process.env.CHATMALL_KEEP_SERVICES)
    await run('bash', ['scripts/services.sh', 'down', 'cluster']);

  log(`finished in ${Math.round((Date.now() - t0) / 1000)} s; screenshots in test-results/e2e/`);
  if (failures.length) {
    console.log('failed:');
    for (const f of failures) console.log(`  - ${f}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
