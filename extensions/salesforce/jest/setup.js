// Every LWC test file can assert accessibility (lwc-recipes does the same with @sa11y/jest).
const { registerSa11yMatcher } = require('@sa11y/jest');

registerSa11yMatcher();
