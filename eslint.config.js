// Lint, including the layers: the zone table below says what each folder may
// import (paths are resolved, so no relative-path trick gets around it), and
// no chain of our own imports may lead back where it started. Both rules are
// local (scripts/eslint-rules/); scripts/lint-zones.test.ts proves every zone
// rejects a file that breaks it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import keyward from './scripts/eslint-rules/index.js';

/**
 * The layers. `zone`: the folder the rule governs. `importsOnly`: the only
 * folders of ours it may import (npm and Node modules aside); `testsAlso`: more
 * folders its *.test.ts files may use; `never`: folders of ours it may not
 * import; `neverModules`: npm or Node modules it may not import, not even types
 * ('node' stands for every Node built-in). `message`: what a person is told.
 */
export const ZONES = [
  {
    zone: 'electron/core',
    importsOnly: ['electron/core', 'shared'],
    testsAlso: ['electron/test/helpers'],
    neverModules: ['electron'],
    message: 'electron/core is the engine that the app, the CLI, the harness and the benchmarks share: it imports only electron/core and shared/, and never Electron.',
  },
  {
    zone: 'electron/app',
    neverModules: ['electron'],
    message: 'electron/app stays Electron-free (the harness runs it in plain Node): what needs Electron, even its types, belongs beside electron/main.ts or in electron/adapters/.',
  },
  {
    zone: 'electron/cli',
    never: ['electron/app', 'electron/adapters', 'electron/ipc', 'electron/main', 'electron/preload', 'renderer'],
    neverModules: ['electron'],
    message: 'The CLI runs the core in plain Node: it may not import the desktop app (electron/app, adapters, ipc, main), the renderer or Electron.',
  },
  {
    zone: 'renderer',
    importsOnly: ['renderer', 'shared'],
    neverModules: ['node', 'electron', 'keytar'],
    message: 'The renderer talks to main only through the typed API in shared/: it imports only renderer/ and shared/ (and its npm packages), never Node, Electron or keytar.',
  },
  {
    zone: 'shared',
    importsOnly: ['shared'],
    neverModules: ['node', 'electron', 'keytar'],
    message: 'shared/ is the contract: it imports nothing of the app and no platform module (Node, Electron, keytar).',
  },
];

/**
 * The vault module's insides: a session holds the keys, the format layer the
 * bytes, the password check the lockout, the session key the way through a
 * service. Outside `openTo` (and tests), code opens a vault only through the
 * core's application layer, so every operation reaches the one audit door.
 */
export const SEALED_CORE = {
  sealed: ['electron/core/vault/vault-session', 'electron/core/vault/format', 'electron/core/vault/password-check', 'electron/core/crypto/wipe', 'electron/core/service/service-internals'],
  openTo: ['electron/core', 'electron/test', 'bench', 'e2e/fixtures', 'e2e/harness/seed', 'scripts'],
  message:
    'Outside the core, a vault is opened only through its application layer (core/composition.ts, core/service/): sessions, the format layer and the session key stay inside electron/core, so every operation is recorded.',
};

const root = import.meta.dirname;

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
    files: ['**/*.{ts,tsx}'],
    plugins: { keyward },
    rules: {
      'keyward/layer-zones': ['error', { root, zones: ZONES }],
      'keyward/no-import-cycle': 'error',
      'keyward/sealed-core': ['error', { root, ...SEALED_CORE }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
