/** Rotation policy at one level: the defaults, a credential type, or a provider (empty fields inherit). */
import { useMemo, useState } from 'react';
import { CREDENTIAL_TYPES } from '../../../../shared/credential-types/index';
import type { PolicyScopeRequest } from '../../../../shared/ipc/contract';
import type { RotationOverride } from '../../../../shared/rotation';
import { Button } from '../../components/Button';
import { SelectField } from '../../components/Field';
import { Check } from '../../components/icons';
import { call } from '../../lib/api';
import { useStore } from '../../store';
import { draftOf, parseDraft, PolicyFields, type RuleDraft } from './PolicyFields';

export function PolicyPanel() {
  const policy = useStore((s) => s.timeline?.policy ?? null);
  const credentials = useStore((s) => s.credentials);
  const loadTimeline = useStore((s) => s.loadTimeline);
  const refreshAfterChange = useStore((s) => s.refreshAfterChange);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [scope, setScope] = useState('defaults');
  const providers = useMemo(() => [...new Set(credentials.map((c) => c.provider.trim().toLowerCase()).filter(Boolean))].sort(), [credentials]);

  const current: RotationOverride = !policy
    ? {}
    : scope === 'defaults'
      ? policy.defaults
      : scope.startsWith('type:')
        ? (policy.byType[scope.slice(5)] ?? {})
        : (policy.byProvider[scope.slice(9)] ?? {});
  const [draft, setDraft] = useState<RuleDraft>(() => draftOf(current));
  const [errors, setErrors] = useState<Partial<RuleDraft>>({});
  const [busy, setBusy] = useState(false);

  const changeScope = (next: string) => {
    setScope(next);
    setErrors({});
    if (!policy) return;
    const o = next === 'defaults' ? policy.defaults : next.startsWith('type:') ? (policy.byType[next.slice(5)] ?? {}) : (policy.byProvider[next.slice(9)] ?? {});
    setDraft(draftOf(o));
  };

  const save = async () => {
    const { override, errors: e } = parseDraft(draft, scope === 'defaults');
    setErrors(e);
    if (Object.keys(e).length) return;
    const req: PolicyScopeRequest = scope === 'defaults' ? { defaults: true } : scope.startsWith('type:') ? { type: scope.slice(5) } : { provider: scope.slice(9) };
    setBusy(true);
    const r = await call('rotation.setPolicy', { scope: req, override });
    setBusy(false);
    if (!r.ok) return toastError(r.error);
    toast('success', 'Rotation policy saved.');
    await loadTimeline();
    refreshAfterChange();
  };

  return (
    <section aria-label="Policies" className="rounded-xl border border-line bg-surface p-4 shadow-xs">
      <h2 className="text-sm font-semibold">Rotation policies</h2>
      <p className="mt-1 mb-3 text-xs text-muted">A credential’s own settings win over its provider’s, which win over its type’s, which win over the defaults. Empty fields inherit.</p>
      <form
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <SelectField label="Applies to" value={scope} onChange={(e) => changeScope(e.target.value)}>
          <option value="defaults">Defaults (everything)</option>
          <optgroup label="Credential type">
            {CREDENTIAL_TYPES.map((t) => (
              <option key={t.id} value={`type:${t.id}`}>
                {t.label}
              </option>
            ))}
          </optgroup>
          {providers.length ? (
            <optgroup label="Provider">
              {providers.map((p) => (
                <option key={p} value={`provider:${p}`}>
                  {p}
                </option>
              ))}
            </optgroup>
          ) : null}
        </SelectField>
        <PolicyFields draft={draft} errors={errors} inherited={scope === 'defaults' ? undefined : policy?.defaults} onChange={setDraft} />
        <div className="flex justify-end">
          <Button type="submit" size="sm" icon={Check} busy={busy}>
            Save policy
          </Button>
        </div>
      </form>
      <p className="mt-3 text-xs text-faint">Choose “Manage” on a credential for its own policy and a command rotator.</p>
    </section>
  );
}
