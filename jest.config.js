// One jest major (29) for the whole repo: the server/domain tests, the HubSpot card tests, the
// Salesforce package's LWC tests and its metadata checks are projects of one run. @hubspot/ui-extensions and its dependency tinyspy ship ESM only,
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
// sfdx-lwc-jest's preset (LWC compiler transform, c/ and lightning/ resolution, jsdom) as one
// project; it finds the components through sfdx-project.json.
const { jestConfig: lwcJest } = require('@salesforce/sfdx-lwc-jest/config');
const salesforce = '<rootDir>/extensions/salesforce';

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
    {
      ...lwcJest,
      displayName: 'lwc',
      rootDir: __dirname,
      collectCoverageFrom: undefined,
      testMatch: [`${salesforce}/force-app/**/lwc/**/__tests__/**/*.test.js`],
      moduleNameMapper: {
        '^lightning/platformShowToastEvent$': `${salesforce}/jest/platformShowToastEvent.js`,
      },
      setupFilesAfterEnv: [...lwcJest.setupFilesAfterEnv, `${salesforce}/jest/setup.js`],
    },
    {
      // The package as metadata: it resolves and converts, its XML is well-formed, its Apex parses
      // and passes Code Analyzer's AppExchange and security rules; the fixtures match the API.
      displayName: 'salesforce',
      testEnvironment: 'node',
      transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.cjs$': swc },
      transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
      testMatch: ['<rootDir>/test/salesforce/**/*.test.ts'],
    },
  ],
};
