/**
 * grants_need_approval: whatever a grant says, a program reads or runs with
 * these credentials only after the user approved that use in the running app
 * (their values stay out of every grant's file: grants/grant-sync.ts).
 */
import type { RuleKindModule } from './rule-kind.js';

export const grantsNeedApproval: RuleKindModule = {
  id: 'grants_need_approval',
  silencedByDeactivation: false,
  apply: (effects, _on, rule) => void (effects.grantsNeedApproval ??= rule),
};
