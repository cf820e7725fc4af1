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
module.exports = {
  projects: [
    { ...base, displayName: 'shared', testMatch: ['<rootDir>/shared/test/**/*.test.ts'] },
    {
      ...base,
      displayName: 'server',
      testMatch: ['<rootDir>/server/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/faults/', '/fixtures/architecture-bad/'],
    },
    { ...base, displayName: 'sandbox', testMatch: ['<rootDir>/sandbox/test/**/*.test.ts'] },
    { ...base, displayName: 'faults', testMatch: ['<rootDir>/server/test/faults/**/*.test.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/e2e/**/*.test.ts'] },
    // The storefront's build settings (pure, plus one refused build that stops before compiling).
    { ...base, displayName: 'miniapp', testMatch: ['<rootDir>/miniapp/test/*.test.ts'] },
    // The built weapp bundle in miniprogram-simulate; runs after the weapp build (scripts/test.mjs).
    { ...base, displayName: 'weapp', testMatch: ['<rootDir>/miniapp/test/weapp/**/*.test.ts'] },
  ],
};
