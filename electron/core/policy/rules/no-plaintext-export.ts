/**
 * no_plaintext_export: the value is never handed to another program as plain
 * text — `keyward env` and `inject`, a grant reading it, an export — only
 * injected by `keyward run` or copied (env/resolve.ts, grants/grant-sync.ts).
 */
import type { RuleKindModule } from './rule-kind.js';

export const noPlaintextExport: RuleKindModule = {
  id: 'no_plaintext_export',
  silencedByDeactivation: false,
  apply: (effects, _on, rule) => void (effects.noPlaintextExport ??= rule),
};
