// One jest major (29) for the whole repo: the server/domain tests and the HubSpot card tests
// are projects of one run. @hubspot/ui-extensions and its dependency tinyspy ship ESM only,
// so they are transformed like our own TypeScript.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const transformEsm = ['/node_modules/(?!(@hubspot/ui-extensions|tinyspy)/)'];

module.exports = {
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.(t|j)sx?$': swc },
      testMatch: ['<rootDir>/test/src/**/*.test.ts'],
    },
    {
      displayName: 'server',
      testEnvironment: 'node',
      // PGlite's CommonJS build loads Node's own modules with import(), which jest's module VM
      // cannot run; transformed, those become require() (the suites run on PGlite too).
      transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.cjs$': swc },
      transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
      testMatch: ['<rootDir>/test/server/**/*.test.ts', '<rootDir>/test/tooling/**/*.test.ts'],
    },
    {
      displayName: 'hubspot-cards',
      testEnvironment: 'node',
      transform: { '^.+\\.(t|j)sx?$': swc },
      transformIgnorePatterns: transformEsm,
      testMatch: ['<rootDir>/extensions/hubspot/**/__tests__/**/*.test.tsx'],
    },
  ],
};
