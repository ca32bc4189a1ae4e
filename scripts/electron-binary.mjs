// Finds the Electron binary without triggering Electron's download-on-require
// (this machine has no internet). Null when it is not installed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function electronBinary(root = process.cwd()) {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron');
  if (!existsSync(pathFile)) return null;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

export const NO_ELECTRON = `The Electron binary is not installed here (it is downloaded from the internet on first install, which this machine cannot reach).
On a machine with internet access, "npm ci && npm start" runs the desktop app.
Here, use the test harness instead: it serves the same renderer against the same main-process services on 127.0.0.1:
  npm run build && npm run start:harness -- --vault /path/to/vault.keyward
and open the URL it prints first in any browser.`;
