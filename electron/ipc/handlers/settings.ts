import type { SettingsApi } from '../../../shared/ipc/contract.js';
import type { AppController } from '../../app/app-controller.js';
import type { HandlersOf } from './handlers-of.js';

export function settingsHandlers(app: Pick<AppController, 'updateSettings'>): HandlersOf<SettingsApi> {
  return {
    'settings.update': ({ password, ...patch }) => app.updateSettings(patch, password),
  };
}
