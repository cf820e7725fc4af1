// One Jest configuration for the monorepo; the test driver (scripts/test.mjs) picks
// projects with --selectProjects: unit + integration run in parallel, fault tests (which
// stop MariaDB or Redis) and browser end-to-end tests run alone.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true, tsx: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
  },
];

const base = {
  transform: { '^.+\\.(t|j)sx?$': swc },
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
};

/** @type {import('jest').Config} */
const config = {
  // Hooks and tests start stacks on real MariaDB, Redis and the sandbox (every migration, RSA
  // keys for Pay), which takes seconds on a loaded 2-core machine; 5 s made setups flaky.
  testTimeout: 30_000,
  projects: [
    { ...base, displayName: 'shared', testMatch: ['<rootDir>/shared/test/**/*.test.ts'] },
    {
      ...base,
      displayName: 'server',
      testMatch: ['<rootDir>/server/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/faults/', '/fixtures/architecture-bad/'],
    },
    { ...base, displayName: 'sandbox', testMatch: ['<rootDir>/sandbox/test/**/*.test.ts'] },
    // The console's pure logic (the product editor's SKU matrix); its pages are covered by e2e.
    { ...base, displayName: 'console', testMatch: ['<rootDir>/console/test/**/*.test.ts'] },
    { ...base, displayName: 'faults', testMatch: ['<rootDir>/server/test/faults/**/*.test.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/e2e/**/*.test.ts'] },
    // The storefront's build settings (pure, plus one refused build that stops before compiling).
    { ...base, displayName: 'miniapp', testMatch: ['<rootDir>/miniapp/test/*.test.ts'] },
    // The built weapp bundle in miniprogram-simulate; runs after the weapp build (scripts/test.mjs).
    { ...base, displayName: 'weapp', testMatch: ['<rootDir>/miniapp/test/weapp/**/*.test.ts'] },
  ],
};

// `jest --selectProjects server server/test/x.test.ts` reads the file as one more project
// name and would run the whole project. Test files named on the command line (in any
// position) narrow each project to those of them it owns, so that command runs one file.
const path = require('node:path');
const micromatch = require('micromatch');
const named = process.argv
  .filter((a) => /\.test\.tsx?$/.test(a))
  .map((a) => path.relative(__dirname, path.resolve(a)).split(path.sep).join('/'));
if (named.length) {
  for (const project of config.projects) {
    const own = project.testMatch.map((g) => g.replace('<rootDir>/', ''));
    const files = named.filter((f) => micromatch.isMatch(f, own));
    project.testMatch = files.length ? files.map((f) => `<rootDir>/${f}`) : ['<rootDir>/.no-tests-named-here'];
  }
}

module.exports = config;
