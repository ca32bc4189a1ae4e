/**
 * `keyward init`, `backups`, `restore-backup`, `passwd`, `keychain`, `rotate-vault-key`:
 * the vault's lifecycle. Each handler is a small function over the core, so that moving
 * them onto the audited lifecycle service is a one-line change apiece.
 */
import { existsSync } from 'node:fs';
import { MASTER_PASSWORD_MINIMUM } from '../../../shared/master-password.js';
import { serviceFor } from '../../core/composition.js';
import { fail } from '../../core/errors.js';
import { requireMasterPassword } from '../../core/policy/master-password.js';
import { createVault, restoreBackupFile, type VaultSession } from '../../core/vault/vault-session.js';
import { emit, type Flags } from '../output.js';
import { askNewPassword, explicitPassword } from '../password-sources.js';
import { printTable, promptHidden } from '../terminal.js';
import type { CommandFamily, Invocation, PasswordInvocation, UnlockedInvocation } from './spec.js';

/** The master password minimum, unless --allow-weak-password; a weak one that was allowed is recorded in the audit log. */
function checkNewMasterPassword(password: string, flags: Flags): { weak: boolean } {
  return requireMasterPassword(password, Boolean(flags['allow-weak-password']), 'Choose a longer one, or pass --allow-weak-password to use it anyway.');
}

async function recordWeakMasterPassword(session: VaultSession): Promise<void> {
  await serviceFor(session, 'cli').run('vault.weakMasterPasswordAllowed', undefined, () => undefined);
}

function kdfIterations(flags: Flags): number | undefined {
  return flags['kdf-iterations'] === undefined ? undefined : Number(flags['kdf-iterations']);
}

async function init({ vaultPath, deps, flags, o }: Invocation) {
  const iterations = kdfIterations(flags);
  if (iterations !== undefined && !Number.isInteger(iterations)) throw fail.badRequest('--kdf-iterations takes a whole number.');
  const password = explicitPassword(flags) ?? (await askNewPassword(flags, 'KEYWARD_PASSWORD', 'password-file'));
  // Over an existing vault there is nothing to create: createVault refuses with EXISTS, whatever the password.
  const { weak } = existsSync(vaultPath) ? { weak: false } : checkNewMasterPassword(password, flags);
  const session = await createVault(vaultPath, { password, kdfIterations: iterations, useKeychain: !flags['no-keychain'] }, deps);
  if (weak) await recordWeakMasterPassword(session);
  if (session.keychainNote) o.err(`keyward: note: ${session.keychainNote}`);
  emit(o, session.info, () => `Created vault ${session.info.path}${session.info.keychainEnabled ? ' (key also kept in the OS keychain)' : ''}.`);
  session.lock();
}

async function backups({ session, o }: UnlockedInvocation) {
  const list = await session.backupStore.list();
  emit(o, list, () =>
    list.length
      ? printTable(
          list.map((b) => [b.file, b.createdAt, String(b.sizeBytes), b.intact === false ? 'DAMAGED (not restorable)' : 'intact']),
          ['FILE', 'CREATED', 'BYTES', 'STATE'],
        )
      : 'No backups yet.',
  );
}

async function restoreBackup({ vaultPath, deps, args: [file], o }: Invocation) {
  const restored = await restoreBackupFile(vaultPath, file, deps);
  emit(o, { restored }, () => `Restored ${restored}. The replaced file was kept in the backups folder.`);
}

async function passwd({ session, flags, o }: UnlockedInvocation) {
  // Asked for even after a typed unlock: changing the password is confirmed by typing the current one.
  const current = explicitPassword(flags) ?? (await promptHidden('Current master password: '));
  const next = await askNewPassword(flags, 'KEYWARD_NEW_PASSWORD', 'new-password-file');
  const { weak } = checkNewMasterPassword(next, flags);
  await session.changePassword(current, next, kdfIterations(flags));
  if (weak) await recordWeakMasterPassword(session);
  emit(o, { changed: true }, () => 'Master password changed.');
}

async function keychain({ session, args: [state], flags, o, masterPassword }: PasswordInvocation) {
  if (state !== 'on' && state !== 'off') throw fail.badRequest('keychain takes "on" or "off".');
  if (flags['no-keychain']) throw fail.badRequest('keychain on/off cannot be combined with --no-keychain.');
  // Turning it on stores the key where it unlocks without a password: the password is checked again.
  const note = await session.setKeychainEnabled(state === 'on', state === 'on' ? await masterPassword() : undefined);
  if (note.keychainNote) o.err(`keyward: note: ${note.keychainNote}`);
  emit(o, { keychain: state === 'on' }, () => `The vault key is ${state === 'on' ? 'now kept' : 'no longer kept'} in the OS keychain.`);
}

async function rotateVaultKey({ svc, session, o, masterPassword }: PasswordInvocation) {
  const password = await masterPassword();
  await svc.run('vault.rotateKey', undefined, () => session.rotateVaultKey(password));
  emit(o, { rotated: true, keyCreatedAt: session.keyCreatedAt }, () => 'The vault key was replaced and every value re-encrypted under the new key.');
}

const KDF_ITERATIONS = { type: 'string', value: 'N' } as const;
const ALLOW_WEAK_PASSWORD = { type: 'boolean' } as const;

export const vaultCommands: CommandFamily = {
  title: 'Vault',
  commands: [
    {
      name: 'init',
      args: [],
      options: { 'kdf-iterations': KDF_ITERATIONS, 'allow-weak-password': ALLOW_WEAK_PASSWORD },
      summary:
        `create a vault (N ≥ 100000; default 600000); the master password needs ${MASTER_PASSWORD_MINIMUM.length}+ characters ` +
        `and a "${MASTER_PASSWORD_MINIMUM.scoreLabel}" rating unless allowed`,
      needs: 'nothing',
      run: init,
    },
    { name: 'backups', args: [], options: {}, summary: 'list backups, newest first', needs: 'vault', run: backups },
    { name: 'restore-backup', args: ['[FILE]'], options: {}, summary: 'restore FILE, or the newest intact backup', needs: 'nothing', run: restoreBackup },
    {
      name: 'passwd',
      args: [],
      options: { 'new-password-file': { type: 'string', value: 'F' }, 'kdf-iterations': KDF_ITERATIONS, 'allow-weak-password': ALLOW_WEAK_PASSWORD },
      summary: 'change the master password (the same minimum as init); the new one from F, else $KEYWARD_NEW_PASSWORD, else asked twice',
      needs: 'vault',
      run: passwd,
    },
    {
      name: 'keychain',
      args: ['on|off'],
      options: {},
      summary: 'keep (or stop keeping) the vault key in the OS keychain; on asks for the password',
      needs: 'password',
      run: keychain,
    },
    {
      name: 'rotate-vault-key',
      args: [],
      options: {},
      summary: 'new vault key; every value re-encrypted (asks for the password)',
      needs: 'password',
      run: rotateVaultKey,
    },
  ],
};
