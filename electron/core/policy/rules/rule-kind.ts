/**
 * A kind of custom rule, as the core enforces it: what one rule of this kind
 * adds to the effects on a credential it covers. The effects are read where
 * values enter and leave (rotation due dates, copying, exports, grants).
 */
import type { RuleKindId } from '../../../../shared/policy-rules.js';

/** What every rule covering a credential asks, together; the flags name the rule that set them (for refusals). */
export interface RuleEffects {
  intervalDays?: number;
  maxAgeDays?: number;
  revealBeforeCopy?: string;
  noPlaintextExport?: string;
  grantsNeedApproval?: string;
}

export interface RuleKindModule {
  id: RuleKindId;
  /**
   * Whether a deactivated credential escapes this rule: due dates and ages are
   * judged of active credentials only (rotation/due.ts, health/analyze.ts), so
   * deactivating one loosens such a rule for it, and asks for the master
   * password (VaultService.setActive).
   */
  readonly silencedByDeactivation: boolean;
  /** Adds one rule's setting to the effects (the strictest wins where several apply). */
  apply(effects: RuleEffects, setting: number | true, ruleName: string): void;
}

export const strictestDays = (current: number | undefined, days: number): number => (current === undefined ? days : Math.min(current, days));
