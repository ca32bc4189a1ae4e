/**
 * Binds every method of the IPC contract, domain by domain, to the app
 * controller. `Handlers` is the contract's mapped type: the compiler insists on
 * exactly one handler per method, with the contract's request and response
 * types, and each domain's slice names only the part of the controller it uses.
 */
import type { KeywardApi } from '../../../shared/ipc/contract.js';
import type { AppController } from '../../app/app-controller.js';
import { appHandlers } from './app.js';
import { auditHandlers } from './audit.js';
import { credentialsHandlers } from './credentials.js';
import { generatorHandlers } from './generator.js';
import type { HandlersOf } from './handlers-of.js';
import { healthHandlers } from './health.js';
import { incidentsHandlers } from './incidents.js';
import { reportHandlers } from './report.js';
import { policyHandlers } from './policy.js';
import { grantsHandlers } from './grants.js';
import { rotationHandlers } from './rotation.js';
import { settingsHandlers } from './settings.js';
import { vaultHandlers } from './vault.js';

export type Handlers = HandlersOf<KeywardApi>;

export function handlersFor(app: AppController): Handlers {
  return {
    ...appHandlers(app),
    ...vaultHandlers(app),
    ...settingsHandlers(app),
    ...credentialsHandlers(app),
    ...healthHandlers(app),
    ...rotationHandlers(app),
    ...generatorHandlers(app),
    ...auditHandlers(app),
    ...incidentsHandlers(app),
    ...reportHandlers(app),
    ...policyHandlers(app),
    ...grantsHandlers(app),
  };
}
