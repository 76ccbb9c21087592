import { builtinModules } from 'node:module';

import js from '@eslint/js';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The domain core (src/) is pure: no I/O, no clock, no randomness (CONVENTIONS.md).
// These are the modules and globals that would break that; test/tooling checks the rule bites.
export const ioModules = [
  'express',
  'bullmq',
  'ioredis',
  'pg',
  'pino',
  'pino-http',
  'jsforce',
  'axios',
  ...builtinModules,
];
const ioPatterns = ['^node:', '^@electric-sql/', '^@hubspot/', `^(${builtinModules.join('|')})/`];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.data', 'coverage', 'bench/results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Lightning Web Components: browser modules with decorators (@api), tested under jest.
    files: ['extensions/salesforce/**/*.js'],
    languageOptions: {
      parser: tseslint.parser,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.jest },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({
            name,
            message: 'src/ is the pure domain core: pass I/O in from server/.',
          })),
          patterns: ioPatterns.map((regex) => ({
            regex,
            message: 'src/ is the pure domain core: pass I/O in from server/.',
          })),
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only server/config.ts reads the environment.',
        },
        { object: 'Date', property: 'now', message: 'Pass the time in.' },
        { object: 'Math', property: 'random', message: 'Pass randomness in.' },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'fetch',
          'crypto',
          'performance',
          'process',
          'setTimeout',
          'setInterval',
          'setImmediate',
          'XMLHttpRequest',
          'WebSocket',
        ].map((name) => ({
          name,
          message: 'src/ is the pure domain core: I/O, time and randomness come in as arguments.',
        })),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Pass the time in.',
        },
      ],
    },
  },
);
