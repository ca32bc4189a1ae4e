/**
 * `keyward init`, `backups`, `restore-backup`, `passwd`, `keychain`, `rotate-vault-key`:
 * the vault's lifecycle. Each handler is a small function over the core, so that moving
 * them onto the audited lifecycle service is a one-line change apiece.
 */
import { MASTER_PASSWORD_MINIMUM } from '../../../shared/master-password.js';
import { fail } from '../../core/errors.js';
import { emit, type Flags } from '../output.js';
import { askNewPassword, explicitPassword } from '../password-sources.js';
import { printTable, promptHidden } from '../terminal.js';
import type { CommandFamily, Invocation, PasswordInvocation, UnlockedInvocation } from './spec.js';

/** The master password minimum applies unless --allow-weak-password (the core checks it, and records an allowed weak one). */
function weakPasswordChoice(flags: Flags) {
  return { allowWeakPassword: Boolean(flags['allow-weak-password']), weakPasswordHint: 'Choose a longer one, or pass --allow-weak-password to use it anyway.' };
}

function kdfIterations(flags: Flags): number | undefined {
  return flags['kdf-iterations'] === undefined ? undefined : Number(flags['kdf-iterations']);
}

async function init({ lifecycle, flags, o }: Invocation) {
  const iterations = kdfIterations(flags);
  if (iterations !== undefined && !Number.isInteger(iterations)) throw fail.badRequest('--kdf-iterations takes a whole number.');
  const password = explicitPassword(flags) ?? (await askNewPassword(flags, 'KEYWARD_PASSWORD', 'password-file'));
  const vault = await lifecycle.create({ password, kdfIterations: iterations, useKeychain: !flags['no-keychain'], ...weakPasswordChoice(flags) });
  if (vault.keychainNote) o.err(`keyward: note: ${vault.keychainNote}`);
  emit(o, vault.info, () => `Created vault ${vault.info.path}${vault.info.keychainEnabled ? ' (key also kept in the OS keychain)' : ''}.`);
  await vault.lock('command-end');
}

async function backups({ lifecycle, o }: UnlockedInvocation) {
  const list = await lifecycle.listBackups();
  emit(o, list, () =>
    list.length
      ? printTable(
          list.map((b) => [b.file, b.createdAt, String(b.sizeBytes), b.intact === false ? 'DAMAGED (not restorable)' : 'intact']),
          ['FILE', 'CREATED', 'BYTES', 'STATE'],
        )
      : 'No backups yet.',
  );
}

async function restoreBackup({ lifecycle, args: [file], o }: Invocation) {
  const restored = await lifecycle.restoreBackup(file);
  emit(o, { restored }, () => `Restored ${restored}. The replaced file was kept in the backups folder; unless it was damaged, its settings, policy, custom rules and grants stay in force from the next unlock.`);
}

async function passwd({ vault, flags, o }: UnlockedInvocation) {
  // Asked for even after a typed unlock: changing the password is confirmed by typing the current one.
  const current = explicitPassword(flags) ?? (await promptHidden('Current master password: '));
  const next = await askNewPassword(flags, 'KEYWARD_NEW_PASSWORD', 'new-password-file');
  await vault.changePassword(current, next, { kdfIterations: kdfIterations(flags), ...weakPasswordChoice(flags) });
  emit(o, { changed: true }, () => 'Master password changed.');
}

async function keychain({ vault, args: [state], flags, o, masterPassword }: PasswordInvocation) {
  if (state !== 'on' && state !== 'off') throw fail.badRequest('keychain takes "on" or "off".');
  if (flags['no-keychain']) throw fail.badRequest('keychain on/off cannot be combined with --no-keychain.');
  // Turning it on stores the key where it unlocks without a password: the password is checked again.
  const note = await vault.setKeychain(state === 'on', state === 'on' ? await masterPassword() : undefined);
  if (note.keychainNote) o.err(`keyward: note: ${note.keychainNote}`);
  emit(o, { keychain: state === 'on' }, () => `The vault key is ${state === 'on' ? 'now kept' : 'no longer kept'} in the OS keychain.`);
}

async function rotateVaultKey({ vault, o, masterPassword }: PasswordInvocation) {
  await vault.rotateVaultKey(await masterPassword());
  emit(o, { rotated: true, keyCreatedAt: vault.keyCreatedAt }, () => 'The vault key was replaced and every value re-encrypted under the new key.');
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
