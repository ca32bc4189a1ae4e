/**
 * Binds each method of the IPC contract to the app controller. The mapped
 * type makes the compiler insist on exactly one handler per method, with the
 * contract's request and response types.
 */
import type { KeywardApi, Method } from '../../shared/ipc/contract.js';
import type { AppController } from '../app/app-controller.js';

export type Handlers = { [M in Method]: (request: KeywardApi[M]['request']) => Promise<KeywardApi[M]['response']> };

export function handlersFor(app: AppController): Handlers {
  return {
    'app.state': () => app.state(),
    'app.activity': async () => {
      app.activity();
      return { ok: true };
    },
    'app.openLink': (r) => app.openLink(r.id),
    'vault.create': (r) => app.create(r.password, r.useKeychain, r.kdfIterations, r.allowWeakPassword),
    'vault.unlock': (r) => app.unlock(r),
    'vault.lock': () => app.lock('user'),
    'vault.chooseFile': (r) => app.chooseFile(r.mode),
    'vault.changePassword': (r) => app.changePassword(r.currentPassword, r.newPassword),
    'vault.setKeychain': (r) => app.setKeychain(r.enabled, r.password),
    'vault.listBackups': () => app.listBackups(),
    'vault.previewBackup': (r) => app.previewBackup(r.file, r.password),
    'vault.restoreBackup': (r) => app.restoreBackup(r.file),
    'vault.inspectBackups': (r) => app.inspectBackups(r.password),
    'settings.update': ({ password, ...patch }) => app.updateSettings(patch, password),
    'credentials.list': () => app.credentials.list(),
    'credentials.get': (r) => app.credentials.show(r.id),
    'credentials.add': (r) => app.add(r.credential, r.value, r.force),
    'credentials.update': (r) => app.update(r.id, r.patch),
    'credentials.rotate': (r) => app.rotate(r.id, r.value, r.force),
    'credentials.setActive': (r) => app.credentials.setActive(r.id, r.active),
    'credentials.remove': async (r) => ({ id: (await app.remove(r.id)).id }),
    'credentials.undoRemove': (r) => app.undoRemove(r.id),
    'credentials.reveal': async (r) => ({ value: await app.credentials.reveal(r.id, r.version) }),
    'credentials.copy': (r) => app.copy(r.id, r.target),
    'rotation.schedule': async () => app.rotationSchedule(),
    'rotation.setPolicy': (r) => app.setRotationPolicy(r.scope, r.override),
    'rotation.snooze': (r) => app.rotating((x) => x.snooze(r.id, new Date(Date.now() + r.days * 86_400_000))),
    'rotation.markRotated': (r) => app.rotating((x) => x.markRotated(r.id)),
    'rotation.undoMarkRotated': (r) => app.rotating((x) => x.undoMarkRotated(r.id)),
    'rotation.rollback': (r) => app.rotating((x) => x.rollback(r.id)),
    'rotation.setRotator': (r) => app.setRotator(r),
    'rotation.clearRotator': (r) => app.rotating((x) => x.clearRotator(r.id)),
    'rotation.dryRun': (r) => app.rotating((x) => x.dryRun(r.id)),
    'rotation.runRotator': (r) => app.rotating((x) => x.runRotator(r.id)),
    'vault.rotateKey': (r) => app.rotateVaultKey(r.password),
    'vault.keepSessionState': () => app.keepSessionState(),
    'vault.reopen': () => app.reopen(),
    'analysis.health': () => app.health(),
    'analysis.check': (r) => app.check(r.id),
    'analysis.checkValue': (r) => app.checkValue(r),
    'generator.generate': async (r) => app.generate(r.options, r.force),
  };
}
