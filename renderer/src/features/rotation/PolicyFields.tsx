/** The three rotation rules as number fields; empty means "inherit" (except for the defaults). */
import type { RotationOverride, RotationRules } from '../../../../shared/rotation';
import { ROTATION_LIMITS } from '../../../../shared/rotation';
import { TextField } from '../../components/Field';

export type RuleDraft = Record<keyof RotationRules, string>;

export const RULES: { key: keyof RotationRules; label: string }[] = [
  { key: 'intervalDays', label: 'Rotate every (days)' },
  { key: 'maxAgeDays', label: 'Maximum age (days)' },
  { key: 'reminderLeadDays', label: 'Remind before (days)' },
];

export function draftOf(o: RotationOverride): RuleDraft {
  return {
    intervalDays: o.intervalDays === undefined ? '' : String(o.intervalDays),
    maxAgeDays: o.maxAgeDays === undefined ? '' : String(o.maxAgeDays),
    reminderLeadDays: o.reminderLeadDays === undefined ? '' : String(o.reminderLeadDays),
  };
}

/** The override a draft describes, or the field errors. */
export function parseDraft(d: RuleDraft, required: boolean): { override: RotationOverride; errors: Partial<RuleDraft> } {
  const override: RotationOverride = {};
  const errors: Partial<RuleDraft> = {};
  for (const { key } of RULES) {
    const raw = d[key].trim();
    if (!raw) {
      if (required) errors[key] = 'Required.';
      continue;
    }
    const n = Number(raw);
    const lim = key === 'reminderLeadDays' ? ROTATION_LIMITS.leadDays : ROTATION_LIMITS.days;
    if (!Number.isInteger(n) || n < lim.min || n > lim.max) errors[key] = `${lim.min}–${lim.max}`;
    else override[key] = n;
  }
  return { override, errors };
}

export function PolicyFields({
  draft,
  errors,
  inherited,
  onChange,
}: {
  draft: RuleDraft;
  errors: Partial<RuleDraft>;
  /** Shown as placeholders: what applies when a field is left empty. */
  inherited?: RotationRules;
  onChange: (d: RuleDraft) => void;
}) {
  return (
    <div className="grid grid-cols-3 gap-3">
      {RULES.map(({ key, label }) => (
        <TextField
          key={key}
          label={label}
          type="number"
          inputMode="numeric"
          value={draft[key]}
          error={errors[key]}
          placeholder={inherited ? String(inherited[key]) : undefined}
          onChange={(e) => onChange({ ...draft, [key]: e.target.value })}
        />
      ))}
    </div>
  );
}
