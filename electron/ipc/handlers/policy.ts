import type { PolicyApi } from '../../../shared/ipc/contract.js';
import type { AppController } from '../../app/app-controller.js';
import type { HandlersOf } from './handlers-of.js';

export function policyHandlers(app: Pick<AppController, 'services'>): HandlersOf<PolicyApi> {
  return {
    'policy.get': () => app.services.securityPolicy(),
    'policy.set': ({ key, value, password }) => app.services.setPolicy(key, value, password),
    'policy.preset': ({ name, password }) => app.services.applyPolicyPreset(name, password),
    'policy.addRule': (rule) => app.services.addPolicyRule(rule),
    'policy.removeRule': ({ name, password }) => app.services.removePolicyRule(name, password),
  };
}
