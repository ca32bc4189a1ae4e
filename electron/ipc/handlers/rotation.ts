import type { RotationApi } from '../../../shared/ipc/contract.js';
import type { AppController } from '../../app/app-controller.js';
import type { HandlersOf } from './handlers-of.js';

const DAY_MS = 86_400_000;

export function rotationHandlers(app: Pick<AppController, 'rotationSchedule' | 'rotationTimeline' | 'rotationStatus' | 'rotationDue' | 'setRotationPolicy' | 'rotating' | 'setRotator' | 'now'>): HandlersOf<RotationApi> {
  return {
    'rotation.schedule': async () => app.rotationSchedule(),
    'rotation.timeline': (r) => app.rotationTimeline(r),
    'rotation.status': () => app.rotationStatus(),
    'rotation.due': (r) => app.rotationDue(r.id),
    'rotation.setPolicy': (r) => app.setRotationPolicy(r.scope, r.override),
    'rotation.snooze': (r) => app.rotating((x) => x.snooze(r.id, new Date(app.now().getTime() + r.days * DAY_MS))),
    'rotation.markRotated': (r) => app.rotating((x) => x.markRotated(r.id)),
    'rotation.undoMarkRotated': (r) => app.rotating((x) => x.undoMarkRotated(r.id)),
    'rotation.rollback': (r) => app.rotating((x) => x.rollback(r.id)),
    'rotation.setRotator': (r) => app.setRotator(r),
    'rotation.clearRotator': (r) => app.rotating((x) => x.clearRotator(r.id)),
    'rotation.dryRun': (r) => app.rotating((x) => x.dryRun(r.id)),
    'rotation.runRotator': (r) => app.rotating((x) => x.runRotator(r.id)),
  };
}
