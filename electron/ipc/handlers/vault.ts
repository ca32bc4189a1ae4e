import type { VaultApi } from '../../../shared/ipc/contract.js';
import type { AppController } from '../../app/app-controller.js';
import type { HandlersOf } from './handlers-of.js';

type VaultLifecycle = Pick<
  AppController,
  | 'create'
  | 'unlock'
  | 'lock'
  | 'chooseFile'
  | 'changePassword'
  | 'setKeychain'
  | 'listBackups'
  | 'previewBackup'
  | 'restoreBackup'
  | 'inspectBackups'
  | 'rotateVaultKey'
  | 'keepSessionState'
  | 'reopen'
>;

export function vaultHandlers(app: VaultLifecycle): HandlersOf<VaultApi> {
  return {
    'vault.create': (r) => app.create(r.password, r.useKeychain, r.kdfIterations, r.allowWeakPassword),
    'vault.unlock': (r) => app.unlock(r),
    'vault.lock': () => app.lock('user'),
    'vault.chooseFile': (r) => app.chooseFile(r.mode),
    'vault.changePassword': (r) => app.changePassword(r.currentPassword, r.newPassword, r.allowWeakPassword),
    'vault.setKeychain': (r) => app.setKeychain(r.enabled, r.password),
    'vault.listBackups': () => app.listBackups(),
    'vault.previewBackup': (r) => app.previewBackup(r.file, r.password),
    'vault.restoreBackup': (r) => app.restoreBackup(r.file, r.password),
    'vault.inspectBackups': (r) => app.inspectBackups(r.password),
    'vault.rotateKey': (r) => app.rotateVaultKey(r.password),
    'vault.keepSessionState': () => app.keepSessionState(),
    'vault.reopen': () => app.reopen(),
  };
}
