import type { AuditApi } from '../../../shared/ipc/contract.js';
import { MAX_AUDIT_RECORDS } from '../../../shared/ipc/audit.schemas.js';
import type { AppController } from '../../app/app-controller.js';
import type { HandlersOf } from './handlers-of.js';

/** Bound to the open vault's trail: each call is recorded in it (access to the log is logged). */
export function auditHandlers(app: Pick<AppController, 'services' | 'forwarding'>): HandlersOf<AuditApi> {
  return {
    'audit.records': (r) => app.services.auditRecords({ ...r, limit: r.limit ?? MAX_AUDIT_RECORDS }),
    'audit.verify': () => app.services.verifyAuditTrail(),
    'audit.usage': (r) => app.services.usage(r.credential),
    // (Where the trail goes and whether it gets there: nothing of the trail itself, so it answers locked too.)
    'audit.forwarding': async () => app.forwarding.status,
  };
}
