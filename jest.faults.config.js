// The fault suite (`npm run test:faults`): PartnerLens's processes killed, Redis flushed, Postgres
// connections terminated and the CRM failing, on the real services. Slow (it waits for
// recoveries), so it runs apart from `npm test`, with the server project's transform.
const base = require('./jest.config.js');
const server = base.projects.find((project) => project.displayName === 'server');

module.exports = {
  testTimeout: 300000,
  reporters: base.reporters,
  globalSetup: base.globalSetup,
  globalTeardown: base.globalTeardown,
  projects: [
    {
      ...server,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
    },
  ],
};
