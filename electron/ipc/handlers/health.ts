import type { HealthApi } from '../../../shared/ipc/contract.js';
import type { AppController } from '../../app/app-controller.js';
import type { HandlersOf } from './handlers-of.js';

export function healthHandlers(app: Pick<AppController, 'health' | 'check' | 'checkValue'>): HandlersOf<HealthApi> {
  return {
    'analysis.health': () => app.health(),
    'analysis.check': (r) => app.check(r.id),
    'analysis.checkValue': (r) => app.checkValue(r),
  };
}
