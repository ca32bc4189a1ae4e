// Security gate (supply chain): every package that has an install script
// (package-lock.json "hasInstallScript") must be reviewed in package.json's
// "allowScripts" — approved (true) or denied (false). npm 11 runs unreviewed
// install scripts with only a warning; this makes an unreviewed one fail CI.
// Also fails on allowScripts entries that match no such package (stale
// approvals), on entries npm would ignore, and on installed packages whose
// scripts the lockfile does not declare. docs/security-gates.md.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installScriptReport } from './security-gates.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const allowScripts = pkg.allowScripts ?? {};
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

const { packages, stale } = installScriptReport(lock, allowScripts);
const problems = [];

for (const p of packages) {
  for (const note of p.notes) problems.push(`${p.name}: ${note}`);
  if (p.policy === null) problems.push(`${p.name}@${p.version} (${p.key}) has an install script that allowScripts does not cover: review it, then "npm install-scripts approve ${p.name}" or "npm install-scripts deny ${p.name}".`);
}
for (const key of stale) problems.push(`allowScripts "${key}" matches no installed package with an install script: remove it ("npm install-scripts prune").`);

// The lockfile is what npm ci trusts: check it against what is actually installed.
for (const [key, entry] of Object.entries(lock.packages ?? {})) {
  if (!key) continue;
  const manifest = join(root, key, 'package.json');
  if (!existsSync(manifest)) continue; // optional, other platform
  const installed = JSON.parse(readFileSync(manifest, 'utf8'));
  const scripts = INSTALL_SCRIPTS.filter((s) => installed.scripts?.[s]);
  const gyp = existsSync(join(root, key, 'binding.gyp'));
  if ((scripts.length || gyp) && !entry.hasInstallScript) {
    problems.push(`${key} has ${scripts.length ? scripts.join('/') : 'a binding.gyp (node-gyp runs it)'} but package-lock.json does not say so: refresh the lockfile.`);
  }
}

const label = (policy) => (policy === true ? 'allowed' : policy === false ? 'denied ' : 'UNREVIEWED');
console.log(`install scripts: ${packages.length} package${packages.length === 1 ? '' : 's'} with install scripts in package-lock.json`);
for (const p of packages) console.log(`  ${label(p.policy)}  ${p.name}@${p.version}`);
if (problems.length) {
  console.error(['install-scripts gate: FAILED', ...problems.map((l) => `  ${l}`)].join('\n'));
  process.exit(1);
}
console.log('install-scripts gate: passed');
