/** Where things are, relative to the repository (not to the working directory). */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The published known-answer vectors, kept in the repository (see electron/test/fixtures/README.md). */
export const vectorsFile = resolve(repoRoot, 'electron/test/fixtures/vectors.json');

const cliBundle = resolve(repoRoot, 'dist/cli/keyward.cjs');

/** The built CLI. The suite runs after `npm run build` (as `npm run check` does); say so plainly if it did not. */
export function builtCli(): string {
  if (!existsSync(cliBundle))
    throw new Error(`The CLI is not built: ${cliBundle} is missing. Run "npm run build" (or "node scripts/build.mjs cli") before these tests.`);
  return cliBundle;
}
