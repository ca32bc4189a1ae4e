/**
 * Policies (docs/policies.md): every key of the vault's security policy with
 * its value and where that comes from, edited in place and saved together,
 * and the presets. Loosening a key asks for the master password, as the core
 * requires; the scoped rotation rules (per type, provider, credential) stay
 * on the Rotation screen and the credential's own panel.
 */
import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import { POLICY_KEYS, POLICY_PRESETS, type PolicyEntry, type PolicyKeyDef, type PolicyPresetName, type PolicyValue } from '../../../../shared/security-policy';
import { Button } from '../../components/Button';
import { CheckboxField, PasswordField, SelectField, TextField } from '../../components/Field';
import { LoadError, Loading } from '../../components/LoadState';
import { Check } from '../../components/icons';
import { call } from '../../lib/api';
import { useRead } from '../../lib/use-read';
import { formatDateTime } from '../../lib/format';
import { useStore } from '../../store';
import { sourceWords } from './policy-words';
import { CustomRules } from './CustomRules';

type Drafts = Partial<Record<string, string | boolean>>;

/** A choice's value in words, in its select. */
const CHOICE_WORDS: Record<string, string> = {
  refuse: 'Refuse it',
  warn: 'Store it, and list it in Health',
  standard: 'Standard: 5 free attempts, then waits up to 5 minutes',
  strict: 'Strict: 3 free attempts, then waits up to 30 minutes',
};

/** A value as its control holds it (a number input holds text). */
const asDraft = (value: PolicyValue): string | boolean => (typeof value === 'boolean' ? value : String(value));

const GROUPS = [...new Set(POLICY_KEYS.map((d) => d.group))];
/** An element id for a group's heading (ids hold no spaces: aria-labelledby splits on them). */
const groupId = (group: string) => `policy-group-${group.toLowerCase().replace(/[^a-z]+/g, '-')}`;

export function PoliciesScreen() {
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const { value: view, setValue: setView, error: loadError, reload: load } = useRead('policy.get', {});
  const [drafts, setDrafts] = useState<Drafts>({});
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [password, setPassword] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  /** A preset waiting for the master password. */
  const [pendingPreset, setPendingPreset] = useState<PolicyPresetName | null>(null);

  const entries = new Map((view?.entries ?? []).map((e) => [e.key, e] as const));
  const draftOf = (entry: PolicyEntry) => drafts[entry.key] ?? asDraft(entry.value);
  const changed = POLICY_KEYS.filter((d) => {
    const entry = entries.get(d.key);
    return entry !== undefined && drafts[d.key] !== undefined && drafts[d.key] !== asDraft(entry.value);
  });

  /** When the core asks for the master password: show the field (or say the one typed was wrong). */
  const needsPassword = (error: ErrorInfo): boolean => {
    if (error.field === 'password' || error.code === 'AUTH_FAILED' || error.code === 'LOCKED_OUT') {
      setPasswordError(password === null ? error.message : error.code === 'BAD_REQUEST' ? 'Enter your master password to confirm.' : error.message);
      setPassword((p) => p ?? '');
      return true;
    }
    return false;
  };

  const save = async () => {
    if (password === '') return setPasswordError('Enter your master password to confirm.');
    setBusy(true);
    const next: Partial<Record<string, string>> = {};
    let latest = view;
    let asked = false;
    for (const def of changed) {
      const r = await call('policy.set', { key: def.key, value: drafts[def.key]!, ...(password ? { password } : {}) });
      if (r.ok) {
        latest = r.value;
        setDrafts((d) => ({ ...d, [def.key]: undefined }));
      } else if (needsPassword(r.error)) {
        asked = true;
        break;
      } else if (r.error.field === 'value' || r.error.field === 'key') next[def.key] = r.error.message;
      else {
        toastError(r.error);
        break;
      }
    }
    setBusy(false);
    setErrors(next);
    if (latest) setView(latest);
    if (!asked && Object.keys(next).length === 0) {
      setPassword(null);
      setPasswordError(undefined);
      toast('success', 'Policy saved.');
    }
  };

  const applyPreset = async (name: PolicyPresetName) => {
    setBusy(true);
    const r = await call('policy.preset', { name, ...(password ? { password } : {}) });
    setBusy(false);
    if (r.ok) {
      setView(r.value);
      setDrafts({});
      setErrors({});
      setPendingPreset(null);
      setPassword(null);
      setPasswordError(undefined);
      toast('success', `Applied the ${POLICY_PRESETS.find((p) => p.name === name)!.label} preset.`);
    } else if (needsPassword(r.error)) setPendingPreset(name);
    else toastError(r.error);
  };

  return (
    <div className="relative mx-auto max-w-4xl px-8 pt-7 pb-40">
      <h1 className="text-xl font-semibold">Policies</h1>
      <p className="mt-1 text-sm text-muted">What values must meet, how long they may live, and how the vault protects itself. Loosening a rule asks for your master password.</p>

      {loadError ? <LoadError onRetry={() => void load()}>The policy could not be read: {loadError.message}</LoadError> : null}
      {view === null ? (
        loadError ? null : <Loading label="Reading the policy…" />
      ) : (
        <>
          <section aria-labelledby="presets-heading" className="mt-6 rounded-xl border border-line bg-surface p-4">
            <h2 id="presets-heading" className="text-sm font-semibold">
              Presets
            </h2>
            <ul className="mt-2 grid gap-3 sm:grid-cols-3">
              {POLICY_PRESETS.map((preset) => (
                <li key={preset.name} className="flex flex-col gap-2 rounded-lg border border-line p-3">
                  <span className="text-sm font-medium">{preset.label}</span>
                  <span className="text-xs text-muted">{preset.summary}</span>
                  <Button size="sm" className="mt-auto self-start" busy={busy && pendingPreset === preset.name} aria-label={`Apply the ${preset.label} preset`} onClick={() => void applyPreset(preset.name)}>
                    Apply
                  </Button>
                </li>
              ))}
            </ul>
          </section>

          <CustomRules rules={view.rules} onChange={setView} />

          <form
            noValidate
            className="mt-6"
            onSubmit={(e) => {
              e.preventDefault();
              if (pendingPreset) void applyPreset(pendingPreset);
              else void save();
            }}
          >
            {GROUPS.map((group) => (
              <section key={group} aria-labelledby={groupId(group)} className="mt-4 rounded-xl border border-line bg-surface p-4">
                <h2 id={groupId(group)} className="text-sm font-semibold">
                  {group}
                </h2>
                <ul className="mt-2 divide-y divide-line">
                  {POLICY_KEYS.filter((d) => d.group === group).map((def) => {
                    const entry = entries.get(def.key);
                    if (!entry) return null;
                    return (
                      <li key={def.key} className="grid grid-cols-[minmax(0,1fr)_14rem] items-start gap-4 py-3">
                        <div className="min-w-0">
                          <div className="max-w-sm">
                            <PolicyControl def={def} value={draftOf(entry)} error={errors[def.key]} onChange={(v) => setDrafts((d) => ({ ...d, [def.key]: v }))} />
                          </div>
                          <p className="mt-1 text-xs text-muted">
                            {def.description} <code className="text-[11px]">{def.key}</code>
                          </p>
                        </div>
                        <p className="pt-6 text-right text-xs text-muted" data-testid={`source-${def.key}`}>
                          {sourceWords(entry.source, (at) => formatDateTime(at))}
                        </p>
                      </li>
                    );
                  })}
                </ul>
              </section>
            ))}
            {password !== null ? (
              <PasswordField
                containerClassName="mt-4"
                label={pendingPreset ? 'Master password, to confirm the preset' : 'Master password, to confirm loosening the policy'}
                autoComplete="current-password"
                autoFocus
                value={password}
                error={passwordError}
                onChange={(e) => setPassword(e.target.value)}
              />
            ) : null}
            <div className="mt-4 flex justify-end gap-2">
              {changed.length > 0 || password !== null ? (
                <Button
                  variant="secondary"
                  size="sm"
                  onClick={() => {
                    setDrafts({});
                    setErrors({});
                    setPassword(null);
                    setPendingPreset(null);
                  }}
                >
                  Discard changes
                </Button>
              ) : null}
              <Button type="submit" size="sm" variant={changed.length > 0 || pendingPreset ? 'primary' : 'secondary'} icon={Check} busy={busy} disabled={changed.length === 0 && !pendingPreset}>
                {password !== null ? 'Confirm and save' : 'Save policy'}
              </Button>
            </div>
          </form>
        </>
      )}
    </div>
  );
}

function PolicyControl({ def, value, error, onChange }: { def: PolicyKeyDef; value: string | boolean; error?: string; onChange: (value: string | boolean) => void }) {
  const kind = def.kind;
  if (kind.type === 'bool') return <CheckboxField label={def.label} checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
  if (kind.type === 'choice')
    return (
      <SelectField label={def.label} value={String(value)} error={error} onChange={(e) => onChange(e.target.value)}>
        {kind.values.map((v) => (
          <option key={v} value={v}>
            {CHOICE_WORDS[v] ?? v}
          </option>
        ))}
      </SelectField>
    );
  return (
    <TextField
      label={`${def.label} (${kind.unit})`}
      type="number"
      inputMode="numeric"
      min={kind.special ? Math.min(kind.special.value, kind.min) : kind.min}
      max={kind.max}
      value={String(value)}
      error={error}
      hint={kind.special ? `${kind.min}–${kind.max}, or ${kind.special.value} for ${kind.special.means}` : `${kind.min}–${kind.max}`}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
