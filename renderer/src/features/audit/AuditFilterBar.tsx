/**
 * The Audit screen's filters: when (a recent span or two UTC days), which
 * action (a common one or typed), who, which credential (its exact name) and
 * how it ended. A problem with a typed value is said beside its field.
 */
import { Fragment, useId } from 'react';
import { Button } from '../../components/Button';
import { SelectField, TextField } from '../../components/Field';
import { RefreshCw, X } from '../../components/icons';
import { ACTION_CHOICES, KNOWN_ACTORS, OTHER_ACTION, OUTCOMES, TIME_RANGES, type ActionChoice, type AuditFilters, type FilterProblems, type OutcomeChoice, type TimeRange } from './audit-filters';

interface Props {
  filters: AuditFilters;
  problems: FilterProblems;
  onChange: (next: AuditFilters) => void;
  onClear: (() => void) | null;
  onRefresh: () => void;
  refreshing: boolean;
  /** Actors seen in what was read so far, suggested beside Keyward's own. */
  actors: readonly string[];
}

export function AuditFilterBar({ filters: f, problems, onChange, onClear, onRefresh, refreshing, actors }: Props) {
  const actorList = useId();
  const set = <K extends keyof AuditFilters>(key: K, value: AuditFilters[K]) => onChange({ ...f, [key]: value });
  const suggested = [...new Set([...KNOWN_ACTORS, ...actors])].sort();
  return (
    <div role="group" aria-label="Filters" className="flex flex-wrap items-start gap-x-3 gap-y-2">
      <SelectField label="Time" value={f.time} onChange={(e) => set('time', e.target.value as TimeRange)} containerClassName="w-40">
        {Object.entries(TIME_RANGES).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      {f.time === 'custom' ? (
        <>
          <TextField label="From (UTC)" type="date" value={f.from} max={f.to || undefined} error={problems.from} onChange={(e) => set('from', e.target.value)} containerClassName="w-40" />
          <TextField label="To (UTC)" type="date" value={f.to} min={f.from || undefined} error={problems.to} onChange={(e) => set('to', e.target.value)} containerClassName="w-40" />
        </>
      ) : null}
      <SelectField label="Action" value={f.action} onChange={(e) => set('action', e.target.value)} containerClassName="w-48">
        {groupChoices(ACTION_CHOICES).map(([group, choices]) =>
          group ? (
            <optgroup key={group} label={group}>
              {choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </optgroup>
          ) : (
            <Fragment key={choices[0]!.value}>
              {choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </Fragment>
          ),
        )}
      </SelectField>
      {f.action === OTHER_ACTION ? (
        <TextField
          label="Action name"
          placeholder="e.g. copy.field.username"
          hint="Exact, or its start ending in “.”"
          value={f.actionText}
          error={problems.actionText}
          spellCheck={false}
          onChange={(e) => set('actionText', e.target.value)}
          containerClassName="w-56"
          className="font-mono"
        />
      ) : null}
      <TextField label="Actor" placeholder="Anyone" list={actorList} value={f.actor} error={problems.actor} spellCheck={false} onChange={(e) => set('actor', e.target.value)} containerClassName="w-36" />
      <datalist id={actorList}>
        {suggested.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <TextField label="Credential name" placeholder="Exact name" value={f.credential} spellCheck={false} onChange={(e) => set('credential', e.target.value)} containerClassName="w-56" />
      <SelectField label="Outcome" value={f.outcome} onChange={(e) => set('outcome', e.target.value as OutcomeChoice)} containerClassName="w-40">
        {Object.entries(OUTCOMES).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      {/* The labels' height above the fields, so the buttons line up with the controls. */}
      <div className="flex gap-2 pt-[26px]">
        <Button icon={RefreshCw} busy={refreshing} onClick={onRefresh}>
          Refresh
        </Button>
        {onClear ? (
          <Button variant="ghost" icon={X} onClick={onClear}>
            Clear filters
          </Button>
        ) : null}
      </div>
    </div>
  );
}

/** Consecutive choices of one group together, in order: [group or '', choices][]. */
function groupChoices(choices: readonly ActionChoice[]): [string, ActionChoice[]][] {
  const out: [string, ActionChoice[]][] = [];
  for (const c of choices) {
    const group = c.group ?? '';
    const last = out.at(-1);
    if (last && last[0] === group && group) last[1].push(c);
    else out.push([group, [c]]);
  }
  return out;
}
