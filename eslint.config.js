// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'docs/api/**', 'node_modules/**', 'examples/**/dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // The layering rule of STYLE.md: machines import only xstate and each other (not even types
    // from above: the wire types live in machines/wire.ts).
    files: ['machines/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'Date', 'window', 'document', 'fetch', 'sessionStorage', 'localStorage'],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random' }],
    },
  },
  // A relative import may not climb out of machines/: as many `../` as the file is deep is out.
  ...[['machines/*.ts', '^\\.\\./'], ['machines/*/*.ts', '^\\.\\./\\.\\./']].map(([files, outside]) => ({
    files: [files],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(?!xstate$|\\.{1,2}/)', message: 'machines/ imports only xstate and each other.' },
          { regex: outside, message: 'machines/ imports only xstate and each other.' },
        ],
      }],
    },
  })),
  {
    files: ['core/**/*.ts'],
    ignores: ['core/transport/socket-io.ts', 'core/transport/socket-io-v4.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [
        { name: 'socket.io-client', message: 'Only core/transport/socket-io-v4.ts imports socket.io-client 4.' },
        { name: 'socket.io-client-v2', message: 'Only core/transport/socket-io.ts imports socket.io-client 2.' },
      ], patterns: [{ group: ['vue', 'svelte', 'svelte/*', '../adapters/*', '../../adapters/*'], message: 'core knows no framework.' }] }],
    },
  },
  {
    files: ['server/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'docs/tools/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // The vanilla example site: a classic browser script on the 5.1.0 facade's global `_CentionChat`.
    files: ['examples/vanilla/**/*.js', 'test/browser/fixtures/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', location: 'readonly', sessionStorage: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', _CentionChat: 'readonly' },
    },
  },
);
