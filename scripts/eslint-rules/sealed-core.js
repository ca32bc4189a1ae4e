// keyward/sealed-core: the vault module's insides (sessions, the format layer,
// password checks, the services' session key) may be imported only by the core
// itself and by tests and tools that build fixtures. Everything else — the app,
// the CLI, IPC, main, the harness — opens a vault through the core's
// application layer (composition.ts, service/), which records every operation.
import { importSources } from './import-sources.js';
import { importTarget, isWithin, repoPath } from './module-paths.js';

const TEST_FILE = /\.test\.tsx?$/;

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps the vault module sealed: only the core and test tooling import its insides' },
    schema: [
      {
        type: 'object',
        required: ['root', 'sealed', 'openTo', 'message'],
        additionalProperties: false,
        properties: {
          root: { type: 'string' },
          sealed: { type: 'array', items: { type: 'string' } },
          openTo: { type: 'array', items: { type: 'string' } },
          message: { type: 'string' },
        },
      },
    ],
    messages: { sealed: '{{message}}' },
  },
  create(context) {
    const { root, sealed, openTo, message } = context.options[0];
    const file = context.filename;
    const here = repoPath(root, file);
    if (TEST_FILE.test(file) || openTo.some((area) => isWithin(here, area))) return {};
    return importSources((source) => {
      const target = importTarget(root, file, source.value);
      if (target.path !== undefined && sealed.some((area) => isWithin(target.path, area))) context.report({ node: source, messageId: 'sealed', data: { message } });
    });
  },
};
