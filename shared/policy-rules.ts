/**
 * Custom policy rules (docs/policies.md, "Custom rules"): named rules that
 * apply to the credentials matching their scope (the grants' selectors:
 * tag:X, provider:X, type:T, name:GLOB). Each kind of rule is defined once
 * here — what it means and what it takes — and enforced by its module in
 * electron/core/policy/rules/.
 */
import { GRANT_NAME, parseScope, scopeText } from './grants.js';

export type RuleKindId = 'rotate_every_days' | 'max_age_days' | 'reveal_before_copy' | 'no_plaintext_export' | 'grants_need_approval';

export interface RuleKindDef {
  id: RuleKindId;
  label: string;
  /** What it does, in a sentence for the screen, the help and the docs. */
  description: string;
  param: { type: 'days'; min: number; max: number } | { type: 'on' };
}

export const RULE_KINDS: readonly RuleKindDef[] = [
  { id: 'rotate_every_days', label: 'Rotate every', description: 'Credentials in scope are due this many days after their last rotation (at most; a shorter interval elsewhere still applies).', param: { type: 'days', min: 1, max: 3650 } },
  { id: 'max_age_days', label: 'Maximum age', description: 'A value older than this many days is overdue (at most; a shorter maximum elsewhere still applies).', param: { type: 'days', min: 1, max: 3650 } },
  { id: 'reveal_before_copy', label: 'Reveal before copying', description: 'The value is copied only after it was revealed in this session: no copying what was not looked at.', param: { type: 'on' } },
  { id: 'no_plaintext_export', label: 'Never exported in plaintext', description: 'The value is never written out as plain text for another program (keyward get, env, inject, any grant, an export): your own keyward run, and showing and copying it in the app, still work.', param: { type: 'on' } },
  { id: 'grants_need_approval', label: 'Grants only with approval', description: 'A program reads or runs with these credentials only after you approve each use in the running app, whatever its grant says.', param: { type: 'on' } },
];

export function ruleKind(id: string): RuleKindDef | undefined {
  return RULE_KINDS.find((k) => k.id === id);
}

/** A rule as stored and shown: its settings by kind (a number of days, or true). */
export interface CustomRule {
  name: string;
  scopes: string[];
  settings: Partial<Record<RuleKindId, number | true>>;
  createdAt: string;
}

/** What a rule is asked to be, checked: the same rules wherever it comes from (CLI, IPC). */
export function checkCustomRule(input: { name: unknown; scopes: unknown; settings: unknown }): { rule: Omit<CustomRule, 'createdAt'> } | { error: string; field: string } {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!GRANT_NAME.test(name)) return { error: `A rule's name is 1–64 characters of a–z, 0–9, ".", "_" and "-", starting with a letter or digit.`, field: 'name' };
  if (!Array.isArray(input.scopes) || input.scopes.length === 0 || input.scopes.length > 20) return { error: 'A rule applies to a scope: one to twenty of tag:X, provider:X, type:T, name:GLOB.', field: 'scope' };
  const scopes: string[] = [];
  for (const s of input.scopes) {
    const parsed = parseScope(String(s));
    if ('error' in parsed) return { error: parsed.error, field: 'scope' };
    scopes.push(scopeText(parsed));
  }
  const given = input.settings && typeof input.settings === 'object' ? (input.settings as Record<string, unknown>) : {};
  const settings: CustomRule['settings'] = {};
  for (const [id, raw] of Object.entries(given)) {
    const def = ruleKind(id);
    if (!def) return { error: `There is no rule kind "${id.slice(0, 40)}". The kinds: ${RULE_KINDS.map((k) => k.id).join(', ')}.`, field: 'settings' };
    if (def.param.type === 'on') {
      if (raw !== true && raw !== 'true' && raw !== 'on') return { error: `${id} is on or absent (true).`, field: id };
      settings[def.id] = true;
    } else {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n) || n < def.param.min || n > def.param.max) return { error: `${id} takes a whole number of days from ${def.param.min} to ${def.param.max}.`, field: id };
      settings[def.id] = n;
    }
  }
  if (Object.keys(settings).length === 0) return { error: `A rule sets at least one of: ${RULE_KINDS.map((k) => k.id).join(', ')}.`, field: 'settings' };
  return { rule: { name, scopes, settings } };
}
