import type { ReportApi } from '../../../shared/ipc/contract.js';
import type { AppController } from '../../app/app-controller.js';
import type { HandlersOf } from './handlers-of.js';

export function reportHandlers(app: Pick<AppController, 'services'>): HandlersOf<ReportApi> {
  return {
    'report.security': () => app.services.securityReport(),
  };
}
