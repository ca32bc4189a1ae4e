/** reveal_before_copy: a value is copied only once revealed in this session (service/vault-service.ts `reveal` for 'copy'). */
import type { RuleKindModule } from './rule-kind.js';

export const revealBeforeCopy: RuleKindModule = {
  id: 'reveal_before_copy',
  silencedByDeactivation: false,
  apply: (effects, _on, rule) => void (effects.revealBeforeCopy ??= rule),
};
