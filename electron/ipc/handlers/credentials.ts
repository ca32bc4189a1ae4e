import type { CredentialsApi } from '../../../shared/ipc/contract.js';
import type { AppController } from '../../app/app-controller.js';
import type { HandlersOf } from './handlers-of.js';

export function credentialsHandlers(app: Pick<AppController, 'credentials' | 'add' | 'update' | 'rotate' | 'remove' | 'undoRemove' | 'copy'>): HandlersOf<CredentialsApi> {
  return {
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
  };
}
