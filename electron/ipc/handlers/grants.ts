import type { GrantsApi } from '../../../shared/ipc/contract.js';
import type { AppController } from '../../app/app-controller.js';
import type { HandlersOf } from './handlers-of.js';

export function grantsHandlers(app: Pick<AppController, 'services' | 'answerApproval'>): HandlersOf<GrantsApi> {
  return {
    'grants.list': () => app.services.grants.list({ withUsage: true }),
    'grants.add': (request) => app.services.grants.add(request),
    'grants.revoke': async ({ name }) => {
      await app.services.grants.revoke(name);
      return { name };
    },
    'grants.setSuspended': ({ name, suspended }) => app.services.grants.setSuspended(name, suspended),
    'grants.answerApproval': async ({ id, allow }) => ({ answered: app.answerApproval(id, allow) }),
  };
}
