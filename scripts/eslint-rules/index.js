// Keyward's own lint rules: the layer zones, the sealed vault module and the import-cycle check.
// Configured in eslint.config.js; proven by scripts/lint-zones.test.ts.
import layerZones from './layer-zones.js';
import noImportCycle from './no-import-cycle.js';
import sealedCore from './sealed-core.js';

export default {
  meta: { name: 'keyward' },
  rules: { 'layer-zones': layerZones, 'no-import-cycle': noImportCycle, 'sealed-core': sealedCore },
};
