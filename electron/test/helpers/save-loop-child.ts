/**
 * A child process for crash-safety.test.ts (bundled with esbuild at test
 * time): unlocks a vault and adds credentials in a loop, writing each name to
 * stdout only after its save has resolved — an acknowledged write. The test
 * SIGKILLs it at random moments and then checks every acknowledged write.
 *
 * With KEYWARD_CHILD_THROUGH_LIFECYCLE=1 it opens the vault through the
 * core's application layer instead, so each add is also recorded in the
 * audit trail (audit-trail.test.ts kills it and checks the trail).
 *
 * usage: node save-loop-child.cjs VAULT PASSWORD PREFIX
 */
import { openCore } from '../../core/composition.js';
import { serviceFor } from './builders.js';
import { disabledKeychain } from '../../core/keychain/keychain.js';
import { systemClock } from '../../core/ports/clock.js';
import { nodeFileSystem } from '../../core/ports/file-system.js';
import { systemRandom } from '../../core/ports/random.js';
import { unlockVault } from '../../core/vault/vault-session.js';

/** The value stored under a name, so the parent can check values as well as names. */
export function valueFor(name: string): string {
  return `value:${name}:${'v'.repeat(name.length % 7)}`;
}

async function main(): Promise<void> {
  const [vault, password, prefix] = process.argv.slice(2);
  if (!vault || !password || !prefix) throw new Error('usage: save-loop-child VAULT PASSWORD PREFIX');
  const deps = { fs: nodeFileSystem, clock: systemClock, random: systemRandom, keychain: disabledKeychain('not in tests') };
  const service = process.env.KEYWARD_CHILD_THROUGH_LIFECYCLE
    ? (await openCore({ actor: 'test', deps }).vault(vault).unlock({ password })).credentials
    : serviceFor(await unlockVault(vault, { password }, deps), 'test');
  process.stdout.write('ready\n');
  for (let i = 0; ; i++) {
    const name = `${prefix}-${i}`;
    await service.add({ name, type: 'secret' }, { value: valueFor(name) });
    // Pipes are synchronous on Linux: once this returns, the parent will read the line even if we die next.
    process.stdout.write(`${name}\n`);
  }
}

// Only when run as the child, not when the test imports valueFor.
if (process.argv[1]?.endsWith('save-loop-child.cjs')) {
  main().catch((err: unknown) => {
    process.stderr.write(`child failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
