/**
 * One credential's rotation: its own policy (and its expiry, through Edit),
 * the command rotator (configure with the master password, dry run, run with
 * the four steps shown), its recent runs, and rollback to the previous version.
 */
import { useEffect, useState } from 'react';
import type { CredentialDetail } from '../../../../shared/domain';
import type { RotatorDryRun } from '../../../../shared/ipc/contract';
import type { DueItem, RotationRun } from '../../../../shared/rotation';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { PasswordField, TextField } from '../../components/Field';
import { ArrowUp, Check, CircleCheck, CircleX, FlaskConical, History, LoaderCircle, Pencil, Play, Terminal, Trash2, TriangleAlert, Undo2 } from '../../components/icons';
import { call } from '../../lib/api';
import { formatDate, formatDateTime } from '../../lib/format';
import { useStore } from '../../store';
import { dueIn, reasonLabel } from './due-format';
import { draftOf, parseDraft, PolicyFields, type RuleDraft } from './PolicyFields';
import { STEP_WORDS, STEPS, stepsAfterFailure, stepsAfterSuccess, stepsWhileRunning, type StepStates } from './rotator-steps';


export function CredentialRotationPanel({ item, onBack }: { item: DueItem; onBack: () => void }) {
  const [detail, setDetail] = useState<CredentialDetail | null>(null);
  const toastError = useStore((s) => s.toastError);
  const credentials = useStore((s) => s.credentials);
  const summary = credentials.find((c) => c.id === item.id);

  // Reload whenever the credential changes (a rotation, an edit, another process).
  useEffect(() => {
    let cancelled = false;
    void call('credentials.get', { id: item.id }).then((r) => {
      if (cancelled) return;
      if (r.ok) setDetail(r.value);
      else toastError(r.error);
    });
    return () => {
      cancelled = true;
    };
  }, [item.id, summary?.updatedAt, summary?.currentVersion, toastError]);

  return (
    <div className="space-y-4">
      <div className="flex items-center gap-2">
        <Button size="sm" variant="ghost" icon={ArrowUp} className="[&>svg]:-rotate-90" onClick={onBack}>
          Policies
        </Button>
      </div>
      <section aria-label="Schedule" className="rounded-xl border border-line bg-surface p-4 shadow-xs">
        <h2 className="truncate text-base font-semibold" title={item.name}>
          {item.name}
        </h2>
        <p className="mt-1 text-sm">
          Due <span className="font-medium">{formatDate(item.dueAt)}</span> <span className="text-muted">({dueIn(item.dueAt, item.reason)}, {reasonLabel(item)})</span>
        </p>
        <p className="mt-0.5 text-xs text-muted">
          Rules in effect: every {item.rules.intervalDays} days, at most {item.rules.maxAgeDays} days old, reminder {item.rules.reminderLeadDays} days ahead.
        </p>
      </section>
      {detail ? (
        <>
          <OwnPolicy detail={detail} item={item} />
          <RotatorSection detail={detail} onDetail={setDetail} />
          <RunsSection detail={detail} onDetail={setDetail} />
        </>
      ) : (
        <div className="flex justify-center py-6">
          <LoaderCircle size={20} className="animate-spin text-faint" aria-label="Loading" />
        </div>
      )}
    </div>
  );
}

function Card({ title, children, label }: { title: string; label: string; children: React.ReactNode }) {
  return (
    <section aria-label={label} className="rounded-xl border border-line bg-surface p-4 shadow-xs">
      <h3 className="mb-3 text-sm font-semibold">{title}</h3>
      {children}
    </section>
  );
}

function OwnPolicy({ detail, item }: { detail: CredentialDetail; item: DueItem }) {
  const openDialog = useStore((s) => s.openDialog);
  const loadTimeline = useStore((s) => s.loadTimeline);
  const refreshAfterChange = useStore((s) => s.refreshAfterChange);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [draft, setDraft] = useState<RuleDraft>(() => draftOf(detail.rotation.override));
  const [errors, setErrors] = useState<Partial<RuleDraft>>({});
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const { override, errors: e } = parseDraft(draft, false);
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    const r = await call('rotation.setPolicy', { scope: { credentialId: detail.id }, override });
    setBusy(false);
    if (!r.ok) return toastError(r.error);
    toast('success', 'Policy saved for this credential.');
    await loadTimeline();
    refreshAfterChange();
  };

  return (
    <Card title="This credential’s policy" label="Credential policy">
      <form
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <PolicyFields draft={draft} errors={errors} inherited={item.rules} onChange={setDraft} />
        <div className="flex items-center justify-between gap-2">
          <p className="text-xs text-muted">
            Expiry: {detail.expiresAt ? formatDate(detail.expiresAt) : 'none'}{' '}
            <button type="button" className="font-medium text-accent-text hover:underline" onClick={() => openDialog({ kind: 'edit', id: detail.id })}>
              <Pencil size={12} className="mr-0.5 inline" aria-hidden="true" />
              Edit expiry…
            </button>
          </p>
          <Button type="submit" size="sm" icon={Check} busy={busy}>
            Save policy
          </Button>
        </div>
      </form>
    </Card>
  );
}

function RotatorSection({ detail, onDetail }: { detail: CredentialDetail; onDetail: (d: CredentialDetail) => void }) {
  const applyDetail = useStore((s) => s.applyDetail);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const rotator = detail.rotation.rotator;
  const [create, setCreate] = useState(rotator?.create ?? '');
  const [test, setTest] = useState(rotator?.test ?? '');
  const [revoke, setRevoke] = useState(rotator?.revoke ?? '');
  const [timeout, setTimeoutSeconds] = useState(String(rotator?.timeoutSeconds ?? 30));
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [dry, setDry] = useState<RotatorDryRun | null>(null);
  const [steps, setSteps] = useState<StepStates | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [revokeNote, setRevokeNote] = useState<string | null>(null);

  const save = async () => {
    const e: Record<string, string> = {};
    if (!create.trim()) e.create = 'Enter the command that creates the new value.';
    const t = Number(timeout);
    if (!Number.isInteger(t) || t < 1) e.timeout = 'Whole seconds.';
    if (!password) e.password = 'Enter your master password to confirm.';
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy('save');
    const r = applyDetail(
      await call('rotation.setRotator', {
        id: detail.id,
        create: create.trim(),
        ...(test.trim() ? { test: test.trim() } : {}),
        ...(revoke.trim() ? { revoke: revoke.trim() } : {}),
        timeoutSeconds: t,
        password,
      }),
    );
    setBusy(null);
    if (r.ok) {
      setPassword('');
      setDry(null);
      onDetail(r.value);
      toast('success', 'Rotator saved.');
      return;
    }
    if (r.error.code === 'AUTH_FAILED') return setErrors({ password: r.error.message });
    const f = r.error.field ?? '';
    const key = ['create', 'test', 'revoke'].find((k) => f.includes(k)) ?? (f.includes('timeout') ? 'timeout' : f.includes('password') ? 'password' : null);
    if (key && r.error.code === 'BAD_REQUEST') return setErrors({ [key]: r.error.message });
    toastError(r.error);
  };

  const clear = async () => {
    setBusy('clear');
    const r = applyDetail(await call('rotation.clearRotator', { id: detail.id }));
    setBusy(null);
    if (!r.ok) return toastError(r.error);
    onDetail(r.value);
    setDry(null);
    setSteps(null);
    toast('success', 'Rotator removed.');
  };

  const dryRun = async () => {
    setBusy('dry');
    setSteps(null);
    setFailure(null);
    const r = await call('rotation.dryRun', { id: detail.id });
    setBusy(null);
    if (r.ok) setDry(r.value);
    else toastError(r.error);
  };

  const run = async () => {
    setBusy('run');
    setFailure(null);
    setRevokeNote(null);
    // A dry run describes the state before this run: once it runs, that result is stale.
    setDry(null);
    setSteps(stepsWhileRunning());
    const r = await call('rotation.runRotator', { id: detail.id });
    setBusy(null);
    if (r.ok) {
      applyDetail({ ok: true, value: r.value.detail });
      onDetail(r.value.detail);
      setSteps(stepsAfterSuccess());
      if (r.value.revokeFailed) setRevokeNote('The new value is current, but the revoke command failed: revoke the old key at the provider yourself.');
      toast('success', `Rotated by command: version ${r.value.detail.currentVersion} is now current.`);
      return;
    }
    if (r.error.code === 'ROTATION_FAILED') {
      setSteps(stepsAfterFailure(r.error.step ?? 'create'));
      setFailure(r.error.message);
      // The run is recorded (and a pending value kept as history): show it.
      const d = await call('credentials.get', { id: detail.id });
      if (d.ok) {
        applyDetail(d);
        onDetail(d.value);
      }
      return;
    }
    setSteps(null);
    toastError(r.error);
  };

  return (
    <Card title="Command rotator" label="Rotator">
      <div role="note" className="mb-3 flex items-start gap-2 rounded-lg bg-warn-soft px-3 py-2.5 text-xs text-warn-text">
        <TriangleAlert size={15} className="mt-px shrink-0" aria-hidden="true" />
        <p>
          These commands run through your shell <strong>with your user’s rights</strong>. Only enter commands you wrote or trust. The create command gets the current value on stdin and prints the new
          one; the test command gets the new value on stdin and must exit 0; the revoke command gets the old value. Values never appear in arguments.
        </p>
      </div>
      <form
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <TextField label="Create command" className="font-mono" spellCheck={false} value={create} error={errors.create} onChange={(e) => setCreate(e.target.value)} />
        <TextField label="Test command (optional)" className="font-mono" spellCheck={false} value={test} error={errors.test} onChange={(e) => setTest(e.target.value)} />
        <TextField label="Revoke command (optional)" className="font-mono" spellCheck={false} value={revoke} error={errors.revoke} onChange={(e) => setRevoke(e.target.value)} />
        <div className="grid grid-cols-[7rem_1fr] gap-3">
          <TextField label="Timeout (s)" type="number" inputMode="numeric" min={1} value={timeout} error={errors.timeout} onChange={(e) => setTimeoutSeconds(e.target.value)} />
          <PasswordField
            label="Master password"
            autoComplete="current-password"
            value={password}
            error={errors.password}
            hint="Required to save a rotator."
            onChange={(e) => {
              setPassword(e.target.value);
              if (errors.password) setErrors(({ password: _, ...rest }) => rest);
            }}
          />
        </div>
        <div className="flex flex-wrap items-center justify-end gap-2">
          {rotator ? (
            <Button size="sm" variant="danger-ghost" icon={Trash2} busy={busy === 'clear'} className="mr-auto" onClick={() => void clear()}>
              Remove rotator
            </Button>
          ) : null}
          <Button type="submit" size="sm" icon={Terminal} busy={busy === 'save'}>
            {rotator ? 'Update rotator' : 'Save rotator'}
          </Button>
        </div>
      </form>

      {rotator ? (
        <div className="mt-4 border-t border-line pt-4">
          <p className="text-xs text-muted">Confirmed {formatDateTime(rotator.confirmedAt)}.</p>
          <div className="mt-2 flex gap-2">
            <Button size="sm" icon={FlaskConical} busy={busy === 'dry'} onClick={() => void dryRun()}>
              Dry run
            </Button>
            <Button size="sm" variant="primary" icon={Play} busy={busy === 'run'} disabled={!detail.active} onClick={() => void run()}>
              Run rotator
            </Button>
          </div>
          {dry ? <DryRunResult dry={dry} /> : null}
          {steps ? <Steps steps={steps} /> : null}
          {failure ? (
            <p role="alert" className="mt-2 text-[13px] text-danger-text [overflow-wrap:anywhere]">
              {failure}
            </p>
          ) : null}
          {revokeNote ? (
            <p role="alert" className="mt-2 text-[13px] text-warn-text">
              {revokeNote}
            </p>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}

function DryRunResult({ dry }: { dry: RotatorDryRun }) {
  return (
    <div aria-label="Dry run result" role="region" className="mt-3 rounded-lg bg-subtle px-3 py-2.5 text-xs">
      <ul className="space-y-1">
        {dry.commands.map((c) => (
          <li key={c.step} className="flex items-center gap-2">
            {c.found ? <CircleCheck size={14} className="shrink-0 text-ok-text" aria-hidden="true" /> : <CircleX size={14} className="shrink-0 text-danger-text" aria-hidden="true" />}
            <span className="w-12 shrink-0 font-medium capitalize">{c.step}</span>
            <span className="min-w-0 truncate font-mono" title={c.command}>
              {c.command}
            </span>
            <span className={`ml-auto shrink-0 ${c.found ? 'text-ok-text' : 'text-danger-text'}`}>{c.found ? 'program found' : 'program not found'}</span>
          </li>
        ))}
      </ul>
      <p className="mt-2 border-t border-line pt-2">
        {dry.testOfCurrent === null
          ? 'No test command: nothing to check against the current value.'
          : dry.testOfCurrent.passed
            ? 'The test command accepts the current value.'
            : dry.testOfCurrent.timedOut
              ? 'The test command timed out on the current value.'
              : `The test command rejects the current value (exit code ${dry.testOfCurrent.exitCode ?? '—'}).`}
      </p>
    </div>
  );
}

function Steps({ steps }: { steps: StepStates }) {
  return (
    <ol aria-label="Rotator steps" className="mt-3 grid grid-cols-4 gap-1.5">
      {STEPS.map(({ step, label, what }) => {
        const s = steps[step];
        const tone =
          s === 'done'
            ? 'border-ok-text/30 bg-ok-soft text-ok-text'
            : s === 'failed'
              ? 'border-danger/40 bg-danger-soft text-danger-text'
              : s === 'running'
                ? 'border-accent/40 bg-accent-soft text-accent-text'
                : 'border-line bg-subtle text-muted';
        return (
          <li key={step} aria-label={`${label}: ${STEP_WORDS[s]}`} title={what} className={`rounded-lg border px-2 py-1.5 text-center text-xs ${tone}`}>
            <div className="flex items-center justify-center gap-1 font-semibold">
              {s === 'done' ? <Check size={12} aria-hidden="true" /> : s === 'failed' ? <CircleX size={12} aria-hidden="true" /> : s === 'running' ? <LoaderCircle size={12} className="animate-spin" aria-hidden="true" /> : null}
              {label}
            </div>
            <div className="text-[11px] opacity-80">{STEP_WORDS[s]}</div>
          </li>
        );
      })}
    </ol>
  );
}

const RUN_KINDS: Record<RotationRun['kind'], string> = { rotator: 'Rotator', manual: 'Typed in', generated: 'Generated', marked: 'Marked rotated', rollback: 'Rollback' };

function RunsSection({ detail, onDetail }: { detail: CredentialDetail; onDetail: (d: CredentialDetail) => void }) {
  const applyDetail = useStore((s) => s.applyDetail);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [busy, setBusy] = useState(false);
  const runs = detail.rotation.runs.slice().reverse();
  const previous = detail.versions.find((v) => v.stage === 'previous');

  const rollback = async () => {
    setBusy(true);
    const r = applyDetail(await call('rotation.rollback', { id: detail.id }));
    setBusy(false);
    if (!r.ok) return toastError(r.error);
    onDetail(r.value);
    toast('success', `Rolled back: version ${r.value.currentVersion} is current again.`);
  };

  return (
    <Card title="Recent runs" label="Recent runs">
      {runs.length === 0 ? (
        <p className="text-xs text-muted">No rotations recorded yet.</p>
      ) : (
        <ol aria-label="Runs" className="divide-y divide-line text-xs">
          {runs.map((run, i) => (
            <li key={`${run.at}-${i}`} className="py-2">
              <div className="flex items-center gap-2">
                <History size={13} className="shrink-0 text-muted" aria-hidden="true" />
                <span className="font-medium">{RUN_KINDS[run.kind] ?? run.kind}</span>
                <Badge tone={run.outcome === 'success' ? 'ok' : run.outcome === 'revoke_failed' ? 'warn' : 'danger'}>
                  {run.outcome === 'success' ? 'Succeeded' : run.outcome === 'revoke_failed' ? 'Revoke failed' : `Failed at ${run.failedStep ?? '?'}`}
                </Badge>
                {run.version ? <span className="text-muted">v{run.version}</span> : null}
                <time dateTime={run.at} className="ml-auto text-muted tabular-nums">
                  {formatDateTime(run.at)}
                </time>
              </div>
              {run.message ? <p className="mt-1 pl-5 text-muted [overflow-wrap:anywhere]">{run.message}</p> : null}
            </li>
          ))}
        </ol>
      )}
      {previous ? (
        <div className="mt-3 flex items-center justify-between gap-2 border-t border-line pt-3">
          <p className="text-xs text-muted">
            Version {previous.version} is the previous value (from {formatDate(previous.createdAt)}).
          </p>
          <Button size="sm" icon={Undo2} busy={busy} onClick={() => void rollback()}>
            Rollback
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
