/**
 * Grants (docs/grants.md): scoped, audited, revocable access for programs.
 * Each grant with its role, scope, expiry, uses over the last 30 days and its
 * last use; a form that builds a new one (scope rows, allowed commands,
 * expiry, approval), whose token is shown once with a copy button; suspend,
 * resume and revoke (confirmed).
 */
import { useState } from 'react';
import { GRANT_ROLES, SCOPE_KINDS, type GrantView, type NewGrant } from '../../../../shared/grants';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { ColumnChart } from '../../components/charts/ColumnChart';
import { Dialog } from '../../components/Dialog';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/Field';
import { LoadError, Loading } from '../../components/LoadState';
import { Copy, KeySquare, Plus, Trash2 } from '../../components/icons';
import { call } from '../../lib/api';
import { formatDateTime, plural } from '../../lib/format';
import { useRead } from '../../lib/use-read';
import { useStore } from '../../store';

type ScopeKind = (typeof SCOPE_KINDS)[number];
interface ScopeRow {
  kind: ScopeKind;
  value: string;
}

const KIND_LABELS: Record<ScopeKind, string> = { tag: 'Tag', provider: 'Provider', type: 'Type', name: 'Name (* and ? as wildcards)' };

export function GrantsScreen() {
  const toastError = useStore((s) => s.toastError);
  const toast = useStore((s) => s.toast);
  const { value: grants, error, reload } = useRead('grants.list', {});
  const [creating, setCreating] = useState(false);
  const [made, setMade] = useState<NewGrant | null>(null);
  const [revoking, setRevoking] = useState<GrantView | null>(null);

  const setSuspended = async (g: GrantView, suspended: boolean) => {
    const r = await call('grants.setSuspended', { name: g.name, suspended });
    if (!r.ok) return toastError(r.error);
    toast('success', suspended ? `Suspended ${g.name}: its token opens nothing until resumed.` : `Resumed ${g.name}.`);
    await reload();
  };

  return (
    <div className="mx-auto max-w-5xl px-8 pt-7 pb-20">
      <div className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold">Grants</h1>
          <p className="mt-1 text-sm text-muted">Give a program access to some credentials by a token, without your master password. Every use is recorded; revoking ends it at once.</p>
        </div>
        <Button icon={Plus} onClick={() => setCreating(true)}>
          New grant
        </Button>
      </div>

      {error ? <LoadError onRetry={() => void reload()}>The grants could not be read: {error.message}</LoadError> : null}
      {grants === null ? (
        error ? null : <Loading label="Reading the grants…" />
      ) : grants.length === 0 ? (
        <div className="mt-10 rounded-xl border border-dashed border-line p-10 text-center">
          <KeySquare aria-hidden className="mx-auto text-muted" size={28} />
          <p className="mt-3 font-medium">No grants yet</p>
          <p className="mt-1 text-sm text-muted">A grant lets a CI job, a script or an AI assistant use the credentials you choose — and only those.</p>
        </div>
      ) : (
        <ul aria-label="Grants" className="mt-6 flex flex-col gap-4">
          {grants.map((g) => (
            <GrantCard key={g.id} grant={g} onRevoke={() => setRevoking(g)} onSuspend={(s) => void setSuspended(g, s)} />
          ))}
        </ul>
      )}

      {creating ? (
        <NewGrantDialog
          onClose={() => setCreating(false)}
          onMade={(m) => {
            setCreating(false);
            setMade(m);
            void reload();
          }}
        />
      ) : null}
      {made ? <TokenDialog made={made} onClose={() => setMade(null)} /> : null}
      {revoking ? (
        <Dialog
          role="alertdialog"
          size="sm"
          title={`Revoke ${revoking.name}?`}
          description="Its key material is deleted: its token opens nothing from now on. This cannot be undone; a new grant gets a new token."
          onClose={() => setRevoking(null)}
          footer={
            <>
              <Button variant="secondary" onClick={() => setRevoking(null)}>
                Cancel
              </Button>
              <Button
                variant="danger"
                icon={Trash2}
                onClick={async () => {
                  const r = await call('grants.revoke', { name: revoking.name });
                  setRevoking(null);
                  if (!r.ok) return toastError(r.error);
                  toast('success', `Revoked ${r.value.name}.`);
                  await reload();
                }}
              >
                Revoke
              </Button>
            </>
          }
        />
      ) : null}
    </div>
  );
}

function GrantCard({ grant: g, onRevoke, onSuspend }: { grant: GrantView; onRevoke: () => void; onSuspend: (suspended: boolean) => void }) {
  const expired = g.expiresAt !== null && Date.parse(g.expiresAt) <= Date.now();
  const headingId = `grant-${g.id}`;
  return (
    <li aria-labelledby={headingId} className="rounded-xl border border-line bg-surface p-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id={headingId} className="flex flex-wrap items-center gap-2 text-base font-semibold break-all">
            {g.name}
            <Badge tone="accent">{g.role}</Badge>
            {g.suspended ? <Badge tone="warn">suspended</Badge> : null}
            {expired ? <Badge tone="danger">expired</Badge> : null}
            {g.ask ? <Badge>asks each time</Badge> : null}
          </h2>
          <p className="mt-1 text-xs text-muted">{GRANT_ROLES.find((r) => r.role === g.role)?.description}</p>
        </div>
        <div className="flex gap-2">
          <Button size="sm" variant="secondary" aria-label={`${g.suspended ? 'Resume' : 'Suspend'} ${g.name}`} onClick={() => onSuspend(!g.suspended)}>
            {g.suspended ? 'Resume' : 'Suspend'}
          </Button>
          <Button size="sm" variant="danger" icon={Trash2} aria-label={`Revoke ${g.name}`} onClick={onRevoke}>
            Revoke
          </Button>
        </div>
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-xs text-muted">Scope</dt>
          <dd className="break-all">
            {g.scopes.length ? g.scopes.join(', ') : 'Every credential'} ({plural(g.covers, 'credential')})
          </dd>
        </div>
        <div>
          <dt className="text-xs text-muted">Commands</dt>
          <dd className="break-all">{g.allowCommands.length ? g.allowCommands.map((c) => c.join(' ')).join(', ') : g.role === 'viewer' ? 'None (a viewer runs nothing)' : 'Any'}</dd>
        </div>
        <div>
          <dt className="text-xs text-muted">Expires</dt>
          <dd>{g.expiresAt ? formatDateTime(g.expiresAt) : 'Never'}</dd>
        </div>
        <div>
          <dt className="text-xs text-muted">Last use</dt>
          <dd>{g.lastUsedAt ? `${formatDateTime(g.lastUsedAt)} (${plural(g.uses ?? 0, 'use')} in all)` : 'Never used'}</dd>
        </div>
      </dl>
      {g.usesByDay ? (
        <ColumnChart
          className="mt-3"
          height={110}
          title={`Uses of ${g.name}, last 30 days`}
          summary={`${plural(g.usesByDay.reduce((n, d) => n + d.uses, 0), 'use')} in the last 30 days.`}
          columns={g.usesByDay.map((d) => ({ key: d.day, label: d.day, axisLabel: d.day.slice(8), value: d.uses }))}
          valueText={(n) => plural(n, 'use')}
          labelHeading="Day (UTC)"
          valueHeading="Uses"
        />
      ) : null}
    </li>
  );
}

function NewGrantDialog({ onClose, onMade }: { onClose: () => void; onMade: (made: NewGrant) => void }) {
  const toastError = useStore((s) => s.toastError);
  const [name, setName] = useState('');
  const [role, setRole] = useState('runner');
  const [scopes, setScopes] = useState<ScopeRow[]>([]);
  const [commands, setCommands] = useState('');
  const [expires, setExpires] = useState('');
  const [ask, setAsk] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    const r = await call('grants.add', {
      name: name.trim(),
      role,
      scopes: scopes.filter((s) => s.value.trim() !== '').map((s) => `${s.kind}:${s.value.trim()}`),
      allowCommands: commands
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
      expiresAt: expires || null,
      ask,
    });
    setBusy(false);
    if (r.ok) return onMade(r.value);
    const field = r.error.field === 'allowCommand' ? 'commands' : r.error.field;
    if (field) setErrors({ [field]: r.error.message });
    else toastError(r.error);
  };

  return (
    <Dialog
      title="New grant"
      description="What a program may do, with which credentials, until when. Its token is shown once."
      size="lg"
      onClose={onClose}
      onSubmit={() => void submit()}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" busy={busy}>
            Create grant
          </Button>
        </>
      }
    >
      <div className="grid gap-4">
        <TextField label="Name" hint="Lower-case letters, digits, . _ -; the audit trail names its uses grant:NAME." value={name} error={errors.name} autoFocus onChange={(e) => setName(e.target.value)} />
        <SelectField label="Role" value={role} error={errors.role} onChange={(e) => setRole(e.target.value)}>
          {GRANT_ROLES.map((r) => (
            <option key={r.role} value={r.role}>
              {r.role} — {r.description}
            </option>
          ))}
        </SelectField>
        <fieldset className="grid gap-2">
          <legend className="text-sm font-medium">Scope</legend>
          <p className="text-xs text-muted">A credential is covered when it matches any row. No rows: every credential.</p>
          {scopes.map((row, i) => (
            <div key={i} className="grid grid-cols-[12rem_minmax(0,1fr)_auto] items-end gap-2">
              <SelectField label={`Scope ${i + 1} kind`} value={row.kind} onChange={(e) => setScopes((s) => s.map((r, j) => (j === i ? { ...r, kind: e.target.value as ScopeKind } : r)))}>
                {SCOPE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABELS[k]}
                  </option>
                ))}
              </SelectField>
              <TextField label={`Scope ${i + 1} value`} value={row.value} onChange={(e) => setScopes((s) => s.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))} />
              <Button variant="secondary" size="sm" aria-label={`Remove scope ${i + 1}`} onClick={() => setScopes((s) => s.filter((_, j) => j !== i))}>
                Remove
              </Button>
            </div>
          ))}
          {errors.scope ? (
            <p role="alert" className="text-xs text-danger-text">
              {errors.scope}
            </p>
          ) : null}
          <Button variant="secondary" size="sm" icon={Plus} className="self-start" onClick={() => setScopes((s) => [...s, { kind: 'tag', value: '' }])}>
            Add a scope
          </Button>
        </fieldset>
        <TextAreaField
          label="Allowed commands"
          hint='One per line, the start of a command line ("npm test"); empty: any command. A command that reaches the network could send a secret anywhere.'
          rows={2}
          value={commands}
          error={errors.commands}
          onChange={(e) => setCommands(e.target.value)}
        />
        <TextField label="Expires" type="date" hint="The end of that day, UTC. Empty: never." value={expires} error={errors.expires} onChange={(e) => setExpires(e.target.value)} />
        <CheckboxField label="Ask me each time" note="Every read or run needs your approval in this app." checked={ask} onChange={(e) => setAsk(e.target.checked)} />
      </div>
    </Dialog>
  );
}

function TokenDialog({ made, onClose }: { made: NewGrant; onClose: () => void }) {
  const toast = useStore((s) => s.toast);
  const canCopy = typeof navigator !== 'undefined' && typeof navigator.clipboard?.writeText === 'function';
  return (
    <Dialog
      title={`Token for ${made.grant.name}`}
      description="Shown this once: Keyward keeps only a keyed hash of it. Give it to the program as KEYWARD_TOKEN."
      onClose={onClose}
      footer={<Button onClick={onClose}>Done</Button>}
    >
      <label className="text-xs text-muted" htmlFor="grant-token">
        Token
      </label>
      <div className="mt-1 flex gap-2">
        <input id="grant-token" readOnly value={made.token} className="min-w-0 flex-1 rounded-md border border-line bg-canvas px-2 py-1.5 font-mono text-xs" onFocus={(e) => e.target.select()} />
        {canCopy ? (
          <Button
            variant="secondary"
            icon={Copy}
            onClick={async () => {
              await navigator.clipboard.writeText(made.token);
              toast('info', 'Token copied. Keyward does not clear this copy: paste it where it goes, then copy something else.');
            }}
          >
            Copy token
          </Button>
        ) : null}
      </div>
      <pre className="mt-4 overflow-x-auto rounded-md bg-canvas p-3 text-xs">{`KEYWARD_TOKEN=${made.token.slice(0, 8)}… keyward run --env KEY=NAME -- your-command`}</pre>
    </Dialog>
  );
}
