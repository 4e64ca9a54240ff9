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
    // The layering rule of STYLE.md: machines import only xstate; only core/transport/ imports socket.io-client (2 and 4).
    files: ['machines/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(?!xstate$|\\.{1,2}/)', message: 'machines/ imports only xstate and each other.' },
          { regex: '^\\.\\./\\.\\./(?!core/protocol/)', message: 'machines/ imports only xstate and each other.' },
          { regex: '/core/protocol/', allowTypeImports: true, message: 'machines/ may use the protocol\'s types, not its code.' },
        ],
      }],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'Date', 'window', 'document', 'fetch', 'sessionStorage', 'localStorage'],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random' }],
    },
  },
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
    files: ['server/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // The vanilla example site: a classic browser script on the 5.1.0 facade's global `_CentionChat`.
    files: ['examples/vanilla/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', location: 'readonly', sessionStorage: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', _CentionChat: 'readonly' },
    },
  },
);
