import type { IncidentsApi } from '../../../shared/ipc/contract.js';
import type { AppController } from '../../app/app-controller.js';
import { rulesView } from '../../core/audit/watch/detection-rules.js';
import type { HandlersOf } from './handlers-of.js';

/** What the watch over the trail found; reading and changing incidents are recorded in the trail. */
export function incidentsHandlers(app: Pick<AppController, 'services'>): HandlersOf<IncidentsApi> {
  return {
    'incidents.list': async (r) => {
      const book = await app.services.incidents({ all: r.all ?? false });
      return { incidents: book.incidents, anomalies: book.anomalies, rules: rulesView(app.services.detectionRules) };
    },
    'incidents.update': (r) => app.services.updateIncident(r.id, r.status, r.note ?? ''),
  };
}
