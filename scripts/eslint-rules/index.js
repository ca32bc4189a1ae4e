// Keyward's own lint rules: the layer zones and the import-cycle check.
// Configured in eslint.config.js; proven by scripts/lint-zones.test.ts.
import layerZones from './layer-zones.js';
import noImportCycle from './no-import-cycle.js';

export default {
  meta: { name: 'keyward' },
  rules: { 'layer-zones': layerZones, 'no-import-cycle': noImportCycle },
};
