// npm start: build, then run the desktop app with the real Electron binary.
import { spawnSync } from 'node:child_process';
import { electronBinary, NO_ELECTRON } from './electron-binary.mjs';

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const binary = electronBinary();
if (!binary) {
  console.error(NO_ELECTRON);
  process.exit(1);
}
const app = spawnSync(binary, ['dist/electron/main.cjs', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(app.status ?? 0);
