/**
 * Every kind of custom rule the core enforces, and what the rules covering a
 * credential ask of it together. Adding a kind: its definition in
 * shared/policy-rules.ts, its module here (listed below), and the one place
 * that reads its effect (docs/policies.md, "Adding a rule kind").
 */
import { inScope, parseScope, type ScopedCredential, type ScopeSelector } from '../../../../shared/grants.js';
import type { CustomRule, RuleKindId } from '../../../../shared/policy-rules.js';
import { grantsNeedApproval } from './grants-need-approval.js';
import { maxAgeDays } from './max-age-days.js';
import { noPlaintextExport } from './no-plaintext-export.js';
import { revealBeforeCopy } from './reveal-before-copy.js';
import { rotateEveryDays } from './rotate-every-days.js';
import type { RuleEffects, RuleKindModule } from './rule-kind.js';

export type { RuleEffects } from './rule-kind.js';

const MODULES: Record<RuleKindId, RuleKindModule> = {
  rotate_every_days: rotateEveryDays,
  max_age_days: maxAgeDays,
  reveal_before_copy: revealBeforeCopy,
  no_plaintext_export: noPlaintextExport,
  grants_need_approval: grantsNeedApproval,
};

const selectorCache = new WeakMap<CustomRule, ScopeSelector[]>();

function selectorsOf(rule: CustomRule): ScopeSelector[] {
  let s = selectorCache.get(rule);
  if (!s) {
    s = rule.scopes.map((t) => parseScope(t)).filter((p): p is ScopeSelector => !('error' in p));
    selectorCache.set(rule, s);
  }
  return s;
}

/** The names of the custom rules whose scope covers `c`. */
export function rulesCovering(rules: readonly CustomRule[] | undefined, c: ScopedCredential): string[] {
  return (rules ?? []).filter((rule) => {
    const selectors = selectorsOf(rule);
    return selectors.length > 0 && inScope(selectors, c);
  }).map((rule) => rule.name);
}

/**
 * The rules that cover `before` and would not cover `after` (a new name, tag
 * or provider): taking a credential out of a rule's scope loosens the rule
 * for it as surely as removing the rule does, so it asks for the same proof.
 */
export function rulesLeftBy(rules: readonly CustomRule[] | undefined, before: ScopedCredential, after: ScopedCredential): string[] {
  const still = new Set(rulesCovering(rules, after));
  return rulesCovering(rules, before).filter((name) => !still.has(name));
}

/** The rules covering `c` that a deactivated credential escapes (a rotation interval or a maximum age): deactivating it loosens them. */
export function rulesSilencedByDeactivation(rules: readonly CustomRule[] | undefined, c: ScopedCredential): string[] {
  const covering = new Set(rulesCovering(rules, c));
  return (rules ?? [])
    .filter((rule) => covering.has(rule.name) && (Object.keys(rule.settings) as RuleKindId[]).some((id) => MODULES[id]?.silencedByDeactivation))
    .map((rule) => rule.name);
}

/** What the vault's custom rules ask of `c` (none: nothing). A rule with no valid scope covers nothing. */
export function ruleEffects(rules: readonly CustomRule[] | undefined, c: ScopedCredential): RuleEffects {
  const effects: RuleEffects = {};
  for (const rule of rules ?? []) {
    const selectors = selectorsOf(rule);
    if (selectors.length === 0 || !inScope(selectors, c)) continue;
    for (const [id, setting] of Object.entries(rule.settings) as [RuleKindId, number | true][]) MODULES[id]?.apply(effects, setting, rule.name);
  }
  return effects;
}

/**
 * The credentials a restored backup would take out of today's custom rules
 * (an older name, tag or provider, or inactive then): each with the rules it would leave.
 * Today's rules stay (vault/body.ts, carryConfiguration); a credential only the
 * backup holds was in no rule today, so it leaves none.
 */
export function credentialsLeavingRules<C extends ScopedCredential & { id: string; active: boolean }>(
  rules: readonly CustomRule[] | undefined,
  today: (id: string) => C | undefined,
  restored: readonly C[],
): { name: string; rules: string[] }[] {
  if (!rules?.length) return [];
  const leaving: { name: string; rules: string[] }[] = [];
  for (const c of restored) {
    const now = today(c.id);
    if (!now) continue;
    const left = new Set(rulesLeftBy(rules, now, c));
    // Inactive in the backup: never due again, as a deactivation would make it.
    if (now.active && !c.active) for (const name of rulesSilencedByDeactivation(rules, c)) left.add(name);
    if (left.size) leaving.push({ name: now.name, rules: [...left] });
  }
  return leaving;
}
