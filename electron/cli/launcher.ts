/**
 * What bin/keyward runs (dist/cli/keyward.cjs): a few lines that pick the
 * bundle to load. `keyward get NAME` with no password given tries the running
 * app first (the CLI through the app, docs/local-api.md) from a small bundle
 * (fast.cjs), so that path costs little more than starting Node; everything
 * else — and `get` whenever the app does not answer — loads the whole CLI
 * (main.cjs). Both are bundles beside this one, loaded at run time.
 */
import { join } from 'node:path';

/** `[--vault F] get NAME [--json] [--no-keychain]` in any order, and nothing else; null otherwise. */
function plainGet(argv: readonly string[]): { vault: string | null; name: string; json: boolean } | null {
  let vault: string | null = null;
  let json = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--vault' && i + 1 < argv.length) vault = argv[++i]!;
    else if (a === '--json') json = true;
    else if (a === '--no-keychain') continue;
    else if (a.startsWith('-')) return null;
    else rest.push(a);
  }
  return rest.length === 2 && rest[0] === 'get' ? { vault, name: rest[1]!, json } : null;
}

const argv = process.argv.slice(2);
const get = process.env.KEYWARD_PASSWORD === undefined && process.env.KEYWARD_TOKEN === undefined ? plainGet(argv) : null;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- bundles beside this one, chosen at run time
const full = () => require(join(__dirname, 'main.cjs'));
if (get) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require(join(__dirname, 'fast.cjs')) as typeof import('./fast-get.js')).fastGet(get).then(
    // The app was asked already (absent, locked, off or declined): the whole CLI opens the file without asking again.
    (code) => (code === null ? (process.argv.push('--no-app'), full()) : (process.exitCode = code)),
    () => (process.argv.push('--no-app'), full()),
  );
} else full();
