// Lint, including the process boundaries: shared/ imports nothing of the app,
// the core imports no Electron, the renderer imports neither Node nor Electron
// nor main-process code.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict(['../electron/*', '../../electron/*', '../renderer/*', '../../renderer/*', 'node:*', 'electron', 'keytar'], 'shared/ is the contract: it imports nothing of the app and no platform module.'),
  },
  {
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts'],
    rules: restrict(['electron', '**/renderer/**', '../ipc/*', '../../ipc/*', '../main', '../../main'], 'The core runs in plain Node (CLI, tests, benchmarks): no Electron here.'),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(['node:*', 'electron', 'keytar', '**/electron/**', 'fs', 'path', 'child_process', 'crypto'], 'The renderer talks to main only through the typed API in shared/.'),
  },
);
