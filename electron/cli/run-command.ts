/**
 * Runs a registered command with what it declared it needs: nothing, an
 * unlocked vault (locked again when the handler returns), or the master
 * password as well.
 */
import { join } from 'node:path';
import { parallelSegmentChecker } from '../core/audit/segment-check.js';
import { openCore, realVaultDeps } from '../core/composition.js';
import { KeywardError } from '../core/errors.js';
import type { UnlockedVault, VaultLifecycle } from '../core/service/vault-lifecycle.js';
import { defaultVaultPath } from '../core/vault/vault-paths.js';
import { unrecordedMessage } from '../../shared/ipc/audit.js';
import { incidentWarning } from './commands/incidents.js';
import type { CommandSpec, Invocation, SecretsInvocation } from './commands/spec.js';
import { grantSource, vaultSource } from '../core/env/resolve.js';
import { apiSource, appSessionSource } from './api-source.js';
import { AppUnavailable, appSession, type AppSession } from './app-session.js';
import { connectVaultApp } from './local-api-client.js';
import type { Flags, Output } from './output.js';
import { explicitPassword } from './password-sources.js';
import { promptHidden } from './terminal.js';

/** The unlocked vault, and the master password when one was used (commands that re-authenticate reuse it). */
interface Unlocked {
  vault: UnlockedVault;
  password: string | null;
}

async function unlock(lifecycle: VaultLifecycle, flags: Flags, o: Output): Promise<Unlocked> {
  // A command that needs one credential decodes its chunk alone; one that needs them all decodes them when it asks.
  const options = { acceptOlder: flags['accept-older'] === true, credentials: 'on-demand' as const };
  const given = explicitPassword(flags);
  if (given !== null) return { vault: await lifecycle.unlock({ password: given }, options), password: given };
  const probe = await lifecycle.probe();
  if (probe.keychain && !flags['no-keychain']) {
    try {
      return { vault: await lifecycle.unlock({ keychain: true }, options), password: null };
    } catch (err) {
      if (!(err instanceof KeywardError) || (err.code !== 'KEYCHAIN_UNAVAILABLE' && err.code !== 'AUTH_FAILED')) throw err;
      o.err(`keyward: note: ${err.message}`);
    }
  }
  const password = await promptHidden('Master password: ');
  return { vault: await lifecycle.unlock({ password }, options), password };
}

/** Runs a handler that reads secrets: through the grant KEYWARD_TOKEN names (never the vault), else the unlocked vault. */
async function withSecrets(run: (call: SecretsInvocation) => Promise<void | number>, call: Invocation, flags: Flags, o: Output): Promise<void | number> {
  const token = process.env.KEYWARD_TOKEN;
  if (token) {
    // The running app first (its local API records each use at once and can ask the user); else the grant's file.
    const client = await connectVaultApp(call.lifecycle.path, token);
    if (client) {
      try {
        return await run({ ...call, secrets: await apiSource(client), grant: null, release: async () => client.close() });
      } finally {
        client.close();
      }
    }
    const grant = await call.lifecycle.openGrant(token);
    const release = async () => grant.close();
    try {
      return await run({ ...call, secrets: grantSource(grant), grant, release });
    } finally {
      grant.close();
    }
  }
  // The running app, when it serves this vault and lets this terminal in (as for get, list and show): no password, no KDF.
  const answered = await withApp(call.lifecycle.path, flags, (app) => run({ ...call, secrets: appSessionSource(app), grant: null, release: async () => app.close() }));
  if (answered) return answered.value;
  const { vault } = await unlock(call.lifecycle, flags, o);
  try {
    return await run({ ...call, secrets: vaultSource(vault), grant: null, release: () => vault.lock('command-end') });
  } finally {
    await vault.lock('command-end');
  }
}

/**
 * `work` with this terminal's session with the running app — when no password
 * was given explicitly, no grant token is set, not --no-app, and an app serves
 * the vault and lets this terminal in. Null when the CLI opens the file itself
 * instead: no such app, or it locked or was turned off before answering.
 */
async function withApp<T>(vaultPath: string, flags: Flags, work: (app: AppSession) => Promise<T>): Promise<{ value: T } | null> {
  if (explicitPassword(flags) !== null || process.env.KEYWARD_TOKEN || flags['no-app'] === true) return null;
  const app = await appSession(vaultPath);
  if (!app) return null;
  try {
    return { value: await work(app) };
  } catch (err) {
    if (!(err instanceof AppUnavailable)) throw err;
    return null;
  } finally {
    app.close();
  }
}

/** A grant's command through the running app (it holds the vault key a token never opens); refused when no app serves the vault. */
async function byToken(name: string, run: NonNullable<CommandSpec['byToken']>, call: Invocation, token: string): Promise<void> {
  const api = await connectVaultApp(call.lifecycle.path, token);
  if (!api) throw new KeywardError('VAULT_LOCKED', `With a grant's token, "keyward ${name}" is done by the running Keyward app, and no app serves ${call.lifecycle.path}. Start it (and unlock it), then try again.`);
  try {
    await run({ ...call, api });
  } finally {
    api.close();
  }
}

/** Runs the command; a number it answers is the exit status to leave with. */
export async function runCommand(command: CommandSpec, args: string[], flags: Flags, o: Output): Promise<void | number> {
  const core = openCore({
    actor: 'cli',
    deps: realVaultDeps({ useKeychain: !flags['no-keychain'] }),
    // The bundle's worker beside it checks half the sealed segments of a long trail (audit verify).
    segmentChecker: parallelSegmentChecker(join(__dirname, 'segment-check-worker.cjs')),
    // Whatever the command prints, an incident it set off is said on stderr (a script's log keeps it).
    onIncidents: (incidents) => incidents.forEach((i) => o.err(incidentWarning(i))),
    // With fail-closed off, an operation that went unrecorded is still said, every time.
    onUnrecorded: (reason, action) => o.err(`keyward: warning: ${action} was ${unrecordedMessage(reason)}`),
  });
  const lifecycle = core.vault((flags.vault as string | undefined) ?? defaultVaultPath());
  const call: Invocation = { args, flags, o, core, lifecycle };
  if (command.needs === 'nothing') return command.run(call);
  if (command.needs === 'secrets') return withSecrets(command.run, call, flags, o);
  const token = process.env.KEYWARD_TOKEN;
  if (token && command.byToken) return byToken(command.name, command.byToken, call, token);
  // The running app, when it serves this vault and lets this terminal in: no password, no KDF, no file.
  const viaApp = command.viaApp;
  if (viaApp && (await withApp(lifecycle.path, flags, (app) => viaApp({ ...call, app })))) return;

  const { vault, password } = await unlock(lifecycle, flags, o);
  const unlocked = { ...call, vault, svc: vault.credentials, reopen: async () => (await unlock(lifecycle, flags, o)).vault };
  try {
    if (command.needs === 'vault') return await command.run(unlocked);
    await command.run({ ...unlocked, masterPassword: async () => password ?? (await promptHidden('Master password: ')) });
  } finally {
    await vault.lock('command-end');
  }
}
