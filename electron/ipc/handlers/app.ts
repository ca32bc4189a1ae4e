import type { AppApi } from '../../../shared/ipc/contract.js';
import type { AppController } from '../../app/app-controller.js';
import type { HandlersOf } from './handlers-of.js';

export function appHandlers(app: Pick<AppController, 'state' | 'activity' | 'openLink'>): HandlersOf<AppApi> {
  return {
    'app.state': () => app.state(),
    'app.activity': async () => {
      app.activity();
      return { ok: true };
    },
    'app.openLink': (r) => app.openLink(r.id),
  };
}
