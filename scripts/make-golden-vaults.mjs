// Regenerates the golden v1 files in electron/test/fixtures/golden/ with the
// code as it is now (what they are: that folder's README.md). Only for adding
// files: the committed ones are what every later format must keep opening.
//
//   node scripts/make-golden-vaults.mjs
//
// The TypeScript that writes them (electron/test/helpers/golden-v1.ts) is
// bundled with esbuild, as scripts/build.mjs does, into dist/ and run from there.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const goldenDir = resolve('electron/test/fixtures/golden');
const outfile = resolve('dist/golden/make-golden-vaults.mjs');
await build({
  stdin: {
    contents: `import { writeGoldenV1 } from './electron/test/helpers/golden-v1.ts'; await writeGoldenV1(${JSON.stringify(goldenDir)});`,
    resolveDir: resolve('.'),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outfile,
  logLevel: 'warning',
  external: ['keytar', 'electron', '@zxcvbn-ts/*'],
});
mkdirSync(goldenDir, { recursive: true });
await import(pathToFileURL(outfile).href);
console.log(`Wrote the golden files in ${goldenDir}`);
