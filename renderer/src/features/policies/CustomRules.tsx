/**
 * The Policies screen's custom rules (docs/policies.md, "Custom rules"): each
 * rule with its scope and what it asks, a form to add one, and removal —
 * which loosens the policy, so it asks for the master password first.
 */
import { useState } from 'react';
import { RULE_KINDS, type CustomRule, type RuleKindId } from '../../../../shared/policy-rules';
import type { PolicyView } from '../../../../shared/security-policy';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { CheckboxField, PasswordField, TextField } from '../../components/Field';
import { Plus, Trash2 } from '../../components/icons';
import { call } from '../../lib/api';
import { useStore } from '../../store';

const kindLabel = (id: string) => RULE_KINDS.find((k) => k.id === id)?.label ?? id;

function settingsWords(rule: CustomRule): string {
  return Object.entries(rule.settings)
    .map(([id, v]) => (v === true ? kindLabel(id) : `${kindLabel(id)} ${v} days`))
    .join(' · ');
}

export function CustomRules({ rules, onChange }: { rules: CustomRule[]; onChange: (view: PolicyView) => void }) {
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [name, setName] = useState('');
  const [scope, setScope] = useState('');
  const [values, setValues] = useState<Partial<Record<RuleKindId, string | boolean>>>({});
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<CustomRule | null>(null);

  const add = async () => {
    const settings: Record<string, string | boolean> = {};
    for (const [id, v] of Object.entries(values)) if (v !== '' && v !== false && v !== undefined) settings[id] = v;
    setBusy(true);
    const r = await call('policy.addRule', {
      name: name.trim(),
      scopes: scope
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      settings,
    });
    setBusy(false);
    if (r.ok) {
      onChange(r.value);
      setName('');
      setScope('');
      setValues({});
      setErrors({});
      toast('success', `Added the rule ${name.trim()}.`);
    } else if (r.error.field) setErrors({ [r.error.field]: r.error.message });
    else toastError(r.error);
  };

  return (
    <section aria-labelledby="custom-rules-heading" className="mt-6 rounded-xl border border-line bg-surface p-4">
      <h2 id="custom-rules-heading" className="text-sm font-semibold">
        Custom rules
      </h2>
      <p className="mt-1 text-xs text-muted">Named rules for the credentials in their scope: tag:X, provider:X, type:T or name:GLOB. They only tighten.</p>
      {rules.length === 0 ? (
        <p className="mt-3 text-sm text-muted">No custom rules.</p>
      ) : (
        <ul aria-label="Custom rules" className="mt-3 divide-y divide-line">
          {rules.map((r) => (
            <li key={r.name} className="flex items-start justify-between gap-3 py-2">
              <div className="min-w-0">
                <p className="text-sm font-medium break-all">{r.name}</p>
                <p className="text-xs text-muted break-all">
                  {r.scopes.join(', ')} — {settingsWords(r)}
                </p>
              </div>
              <Button size="sm" variant="secondary" icon={Trash2} aria-label={`Remove the rule ${r.name}`} onClick={() => setRemoving(r)}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form
        noValidate
        className="mt-4 grid gap-3 border-t border-line pt-4 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <TextField label="Rule name" value={name} error={errors.name} onChange={(e) => setName(e.target.value)} />
        <TextField label="Scope" hint="Comma-separated, e.g. tag:production, provider:stripe" value={scope} error={errors.scope} onChange={(e) => setScope(e.target.value)} />
        {RULE_KINDS.map((k) =>
          k.param.type === 'days' ? (
            <TextField
              key={k.id}
              label={`${k.label} (days, in this rule)`}
              type="number"
              inputMode="numeric"
              min={k.param.min}
              max={k.param.max}
              hint="Empty: not part of this rule"
              value={String(values[k.id] ?? '')}
              error={errors[k.id]}
              onChange={(e) => setValues((v) => ({ ...v, [k.id]: e.target.value }))}
            />
          ) : (
            <CheckboxField key={k.id} label={k.label} note={k.description} checked={values[k.id] === true} onChange={(e) => setValues((v) => ({ ...v, [k.id]: e.target.checked }))} />
          ),
        )}
        {errors.settings ? (
          <p role="alert" className="text-[13px] text-danger-text sm:col-span-2">
            {errors.settings}
          </p>
        ) : null}
        <div className="sm:col-span-2">
          <Button type="submit" size="sm" icon={Plus} busy={busy}>
            Add rule
          </Button>
        </div>
      </form>
      {removing ? <RemoveRuleDialog rule={removing} onClose={() => setRemoving(null)} onRemoved={(view) => (setRemoving(null), onChange(view), toast('success', `Removed the rule ${removing.name}.`))} /> : null}
    </section>
  );
}

function RemoveRuleDialog({ rule, onClose, onRemoved }: { rule: CustomRule; onClose: () => void; onRemoved: (view: PolicyView) => void }) {
  const toastError = useStore((s) => s.toastError);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const remove = async () => {
    if (!password) return setError('Enter your master password to confirm.');
    const r = await call('policy.removeRule', { name: rule.name, password });
    if (r.ok) return onRemoved(r.value);
    if (r.error.code === 'AUTH_FAILED' || r.error.code === 'LOCKED_OUT' || r.error.field === 'password') setError(r.error.message);
    else toastError(r.error);
  };
  return (
    <Dialog
      size="sm"
      title={`Remove the rule ${rule.name}?`}
      description="Removing a rule loosens the policy: confirm with your master password."
      onClose={onClose}
      onSubmit={() => void remove()}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" icon={Trash2}>
            Remove rule
          </Button>
        </>
      }
    >
      <PasswordField label="Master password" autoComplete="current-password" autoFocus value={password} error={error} onChange={(e) => setPassword(e.target.value)} />
    </Dialog>
  );
}
