import type { GeneratorApi } from '../../../shared/ipc/contract.js';
import type { AppController } from '../../app/app-controller.js';
import type { HandlersOf } from './handlers-of.js';

export function generatorHandlers(app: Pick<AppController, 'generate'>): HandlersOf<GeneratorApi> {
  return {
    'generator.generate': async (r) => app.generate(r.options, r.force),
  };
}
