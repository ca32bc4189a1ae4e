/**
 * The running app, as far as the CLI-through-the-app benchmark needs it: its
 * own process (as Electron main is), which unlocks the vault, turns CLI
 * integration on, serves the same local API the app serves, and approves
 * every terminal at once, as a user who clicked Allow would.
 *
 *   node dist/bench/app-stand-in.cjs VAULT RUNTIME_DIR   (password in KEYWARD_PASSWORD)
 *
 * Prints "ready" once it serves; ends when its stdin closes. A server inside
 * the benchmark process itself answered about three times slower than the
 * same handler called in process: that event loop is busy spawning and timing
 * the very CLI it answers, which is not how the app and the CLI share a machine.
 */
import { openCore, realVaultDeps } from '../electron/core/composition.js';
import { CliSessions } from '../electron/core/api/cli-sessions.js';
import { LocalApi } from '../electron/core/api/local-api.js';
import { localApiSocketPath } from '../electron/core/api/socket-path.js';
import { systemClock } from '../electron/core/ports/clock.js';
import { serveLocalApi } from '../electron/app/local-api-server.js';

async function main(): Promise<void> {
  const [path, runtime] = process.argv.slice(2);
  const password = process.env.KEYWARD_PASSWORD;
  if (!path || !runtime || !password) throw new Error('usage: app-stand-in.cjs VAULT RUNTIME_DIR, with KEYWARD_PASSWORD set');
  const core = openCore({ actor: 'app', deps: realVaultDeps({ useKeychain: false, stateDir: null }) });
  const lifecycle = core.vault(path);
  const vault = await lifecycle.unlock({ password });
  await vault.setPolicy('cli_integration_minutes', 60, password);
  const sessions = new CliSessions({ clock: systemClock, minutes: () => 60, approve: async () => true });
  const api = new LocalApi({ lifecycle: () => lifecycle, vault: () => vault, clock: systemClock, cli: sessions });
  const server = await serveLocalApi(api, localApiSocketPath(path, { KEYWARD_RUNTIME_DIR: runtime }));
  process.stdout.write('ready\n');
  process.stdin.resume();
  process.stdin.on('end', () => {
    void server
      .close()
      .then(() => vault.lock('command-end'))
      .finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`app stand-in: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
