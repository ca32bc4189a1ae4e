// keyward/layer-zones: each zone (a folder) may import only what its row in
// the zone table (eslint.config.js) allows. Paths are resolved, not matched as
// text, so '../../../ipc/x.js' is caught however deep the importing file is.
import { importSources } from './import-sources.js';
import { importTarget, isWithin, namesModule, repoPath } from './module-paths.js';

const TEST_FILE = /\.test\.tsx?$/;

/** True if `zone` does not allow importing `target` (from a test file if `isTest`). */
function breaks(zone, target, isTest) {
  if (target.module !== undefined) return (zone.neverModules ?? []).some((name) => namesModule(target.module, name));
  if ((zone.never ?? []).some((area) => isWithin(target.path, area))) return true;
  if (!zone.importsOnly) return false;
  const allowed = [...zone.importsOnly, ...(isTest ? (zone.testsAlso ?? []) : [])];
  return !allowed.some((area) => isWithin(target.path, area));
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps each layer to the imports its zone allows' },
    schema: [
      {
        type: 'object',
        required: ['root', 'zones'],
        additionalProperties: false,
        properties: {
          root: { type: 'string' },
          zones: {
            type: 'array',
            items: {
              type: 'object',
              required: ['zone', 'message'],
              additionalProperties: false,
              properties: {
                zone: { type: 'string' },
                importsOnly: { type: 'array', items: { type: 'string' } },
                testsAlso: { type: 'array', items: { type: 'string' } },
                never: { type: 'array', items: { type: 'string' } },
                neverModules: { type: 'array', items: { type: 'string' } },
                message: { type: 'string' },
              },
            },
          },
        },
      },
    ],
    messages: { zone: '{{message}}' },
  },
  create(context) {
    const { root, zones } = context.options[0];
    const file = context.filename;
    const here = repoPath(root, file);
    const zone = zones.find((z) => isWithin(here, z.zone));
    if (!zone) return {};
    const isTest = TEST_FILE.test(file);
    return importSources((source) => {
      if (breaks(zone, importTarget(root, file, source.value), isTest)) context.report({ node: source, messageId: 'zone', data: { message: zone.message } });
    });
  },
};
