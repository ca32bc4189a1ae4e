import type { CredentialsApi } from '../../../shared/ipc/contract.js';
import type { AppController } from '../../app/app-controller.js';
import type { HandlersOf } from './handlers-of.js';

/** Bound to the core's credential service; delete-with-undo and copying belong to the app (its undo buffer and clipboard guard). */
export function credentialsHandlers(app: Pick<AppController, 'services' | 'remove' | 'undoRemove' | 'copy'>): HandlersOf<CredentialsApi> {
  return {
    'credentials.list': () => app.services.credentials.list(),
    'credentials.get': (r) => app.services.credentials.show(r.id),
    'credentials.markCompromised': (r) => app.services.rotation().markCompromised(r.id),
    'credentials.add': (r) => app.services.credentials.add(r.credential, r.value, { force: r.force }),
    'credentials.update': (r) => app.services.credentials.update(r.id, r.patch, r.password === undefined ? {} : { password: r.password }),
    'credentials.rotate': (r) => app.services.credentials.rotate(r.id, r.value, { force: r.force }),
    'credentials.setActive': (r) => app.services.credentials.setActive(r.id, r.active, r.password === undefined ? {} : { password: r.password }),
    'credentials.remove': async (r) => ({ id: (await app.remove(r.id)).id }),
    'credentials.undoRemove': (r) => app.undoRemove(r.id),
    'credentials.reveal': async (r) => ({ value: await app.services.credentials.reveal(r.id, r.version) }),
    'credentials.copy': (r) => app.copy(r.id, r.target),
  };
}
