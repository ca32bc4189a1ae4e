/** Which vault the app opens: --vault, $KEYWARD_VAULT, the last one chosen, or the default. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function chooseVaultPath(argv: string[], env: NodeJS.ProcessEnv, userData: string): string {
  const flag = argv.findIndex((a) => a === '--vault');
  if (flag >= 0 && argv[flag + 1]) return argv[flag + 1]!;
  const inline = argv.find((a) => a.startsWith('--vault='));
  if (inline) return inline.slice('--vault='.length);
  if (env.KEYWARD_VAULT) return env.KEYWARD_VAULT;
  try {
    const saved = JSON.parse(readFileSync(join(userData, 'config.json'), 'utf8')) as { vaultPath?: unknown };
    if (typeof saved.vaultPath === 'string' && saved.vaultPath) return saved.vaultPath;
  } catch {
    /* no saved choice */
  }
  return join(userData, 'vault.keyward');
}

export function rememberVaultPath(userData: string, vaultPath: string): void {
  try {
    writeFileSync(join(userData, 'config.json'), JSON.stringify({ vaultPath }));
  } catch {
    /* the default applies next time */
  }
}
