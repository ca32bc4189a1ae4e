import type { HealthApi } from '../../../shared/ipc/contract.js';
import type { AppController } from '../../app/app-controller.js';
import type { HandlersOf } from './handlers-of.js';

/** Bound to the core's health service: the one health pipeline. */
export function healthHandlers(app: Pick<AppController, 'services'>): HandlersOf<HealthApi> {
  return {
    'analysis.health': () => app.services.health.vault(),
    'analysis.check': (r) => app.services.health.credential(r.id),
    'analysis.checkValue': (r) => app.services.health.value(r),
  };
}
