#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so the bin works from a fresh clone without a build step.
require('tsx/cjs');
require('../server/cli.ts').runCli();
