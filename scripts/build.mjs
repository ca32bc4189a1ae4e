// Builds every bundle: the CLI, Electron main + preload, the test harness, the
// benchmarks (esbuild, Node targets) and the renderer (Vite).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const only = process.argv[2];
if (!only) rmSync('dist', { recursive: true, force: true });

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // Native and Electron modules are loaded at run time, never bundled.
  // The strength dictionaries (8 MB) are loaded from node_modules on first use, keeping bundles and start-up small.
  external: ['keytar', 'electron', '@zxcvbn-ts/*'],
  // What `keyward mcp` tells its clients it is.
  define: { KEYWARD_VERSION: JSON.stringify(version) },
};

const targets = {
  // The MCP server is its own bundle, loaded only by `keyward mcp`: no other command parses the SDK.
  // keyward.cjs is a launcher of a few lines: `get` through the running app loads only fast.cjs, everything else main.cjs.
  cli: {
    entryPoints: {
      'cli/keyward': 'electron/cli/launcher.ts',
      'cli/main': 'electron/cli/keyward.ts',
      'cli/fast': 'electron/cli/fast-get.ts',
      'cli/segment-check-worker': 'electron/core/audit/segment-check-worker.ts',
      'cli/mcp': 'electron/cli/mcp/mcp-server.ts',
    },
    minify: true,
  },
  electron: { entryPoints: { 'electron/main': 'electron/main.ts', 'electron/preload': 'electron/preload.ts', 'electron/health-worker': 'electron/app/health-worker.ts', 'electron/segment-check-worker': 'electron/core/audit/segment-check-worker.ts' } },
  harness: { entryPoints: { 'harness/harness': 'e2e/harness/harness.ts', 'harness/seed': 'e2e/harness/seed.ts', 'harness/health-worker': 'electron/app/health-worker.ts', 'harness/segment-check-worker': 'electron/core/audit/segment-check-worker.ts' } },
  bench: { entryPoints: { 'bench/bench': 'bench/bench.ts', 'bench/app-bench': 'bench/app-bench.ts', 'bench/ui-bench': 'bench/ui-bench.ts', 'bench/app-stand-in': 'bench/app-stand-in.ts', 'bench/segment-check-worker': 'electron/core/audit/segment-check-worker.ts' }, external: ['keytar', 'electron', '@zxcvbn-ts/*', '@playwright/test', 'playwright-core'] },
};

for (const [name, options] of Object.entries(targets)) {
  if (only && only !== name) continue;
  await build({ ...node, ...options, outdir: 'dist', outExtension: { '.js': '.cjs' } });
}

if (!only || only === 'harness') {
  // The preload's stand-in for the harness runs in the browser.
  await build({ bundle: true, platform: 'browser', format: 'iife', target: 'chrome120', logLevel: 'warning', entryPoints: ['e2e/harness/bridge-client.ts'], outfile: 'dist/harness/bridge.js' });
}

if (!only || only === 'renderer') {
  const vite = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  if (vite.status !== 0) process.exit(vite.status ?? 1);
}
