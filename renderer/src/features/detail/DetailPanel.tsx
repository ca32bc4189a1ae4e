/**
 * The open credential: what it is, its non-secret fields (each copyable), the
 * masked value with Reveal (auto-hides after 10 s, with a countdown) and Copy
 * (main copies and clears the clipboard), the version history, and the
 * actions. The revealed value lives only in this component's state.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, useState, type ReactNode } from 'react';
import { credentialType } from '../../../../shared/credential-types/index';
import type { CredentialDetail, CredentialSummary, VersionInfo } from '../../../../shared/domain';
import { Badge } from '../../components/Badge';
import { Button, IconButton } from '../../components/Button';
import { ClampedHeading } from '../../components/ClampedText';
import { Ban, Check, Copy, Eye, EyeOff, History, KeyRound, Pencil, Power, RotateCw, ShieldX, Trash2, TypeIcon } from '../../components/icons';
import { call } from '../../lib/api';
import { useSecondsLeft } from '../../lib/countdown';
import { expiryLabel, expiryState, formatDate, formatDateTime } from '../../lib/format';
import { useStore } from '../../store';
import { dueSentence } from '../rotation/due-format';
import { useDueOf } from '../rotation/use-due';
import { CredentialFindings } from '../health/CredentialFindings';
import { deactivate } from './DeactivateDialog';

export const REVEAL_SECONDS = 10;
const MASK = '••••••••';

export interface DetailPanelHandle {
  focus(): void;
}

interface Revealed {
  version: number;
  value: string;
  hidesAt: number;
}

const STAGE_LABELS: Partial<Record<string, string>> = { current: 'Current', previous: 'Previous', pending: 'Pending', history: 'Older' };
// Partial: origins added later still show (as their code) rather than break the panel.
const ORIGIN_LABELS: Partial<Record<string, string>> = { initial: 'Added', manual: 'Typed in', generated: 'Generated', rotator: 'Rotated by command' };

export const DetailPanel = forwardRef<DetailPanelHandle, { hasCredentials: boolean }>(function DetailPanel({ hasCredentials }, ref) {
  const selectedId = useStore((s) => s.selectedId);
  const summary = useStore((s) => (s.selectedId ? s.credentials.find((c) => c.id === s.selectedId) : undefined));
  const detail = useStore((s) => (s.detail && s.detail.id === s.selectedId ? s.detail : null));
  const panel = useRef<HTMLElement>(null);
  useImperativeHandle(ref, () => ({ focus: () => panel.current?.focus() }), []);

  return (
    <section ref={panel} tabIndex={-1} aria-label="Credential details" className="min-w-0 flex-1 overflow-y-auto bg-canvas outline-none">
      {selectedId && summary ? (
        <Detail key={selectedId} summary={summary} detail={detail} />
      ) : (
        <div className="flex h-full flex-col items-center justify-center p-8 text-center text-muted">
          <KeyRound size={32} className="mb-3 text-faint" aria-hidden="true" />
          <p className="text-sm">{hasCredentials ? 'Select a credential to see its details.' : 'Credentials you add appear here.'}</p>
          {hasCredentials ? <p className="mt-1 text-xs text-faint">Use ↑ and ↓ in the list, or search with /.</p> : null}
        </div>
      )}
    </section>
  );
});

function Detail({ summary, detail }: { summary: CredentialSummary; detail: CredentialDetail | null }) {
  const openDialog = useStore((s) => s.openDialog);
  const setActive = useStore((s) => s.setActive);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const type = credentialType(summary.type);
  const c = detail ?? summary;
  const expiry = expiryState(c.expiresAt);
  const expiryText = expiryLabel(expiry);
  // Asked again after a write (a new detail) and at every refresh of what is due: after each change, a reminder, a policy.
  const dueRefreshes = useStore((s) => s.dueRefreshes);
  const due = useDueOf(summary.id, [detail, dueRefreshes]);

  // A rotation elsewhere makes a revealed "current" value stale: hide it.
  useEffect(() => setRevealed(null), [c.currentVersion]);

  useEffect(() => {
    if (!revealed) return;
    const timer = setTimeout(() => setRevealed(null), Math.max(0, revealed.hidesAt - Date.now()));
    return () => clearTimeout(timer);
  }, [revealed]);

  const reveal = async (version: number) => {
    if (revealed?.version === version) return setRevealed(null);
    setBusy(`reveal-${version}`);
    const r = await call('credentials.reveal', version === c.currentVersion ? { id: c.id } : { id: c.id, version });
    setBusy(null);
    if (!r.ok) return toastError(r.error);
    setRevealed({ version, value: r.value.value, hidesAt: Date.now() + REVEAL_SECONDS * 1000 });
  };

  const toggleActive = async () => {
    setBusy('active');
    const r = c.active ? await deactivate({ setActive, openDialog }, c.id) : await setActive(c.id, true);
    setBusy(null);
    // The master password is asked in its own dialog (a custom rule would stop reminding).
    if (!r) return;
    if (!r.ok) return toastError(r.error);
    const was = !r.value.active;
    toast('success', r.value.active ? 'Credential activated.' : 'Credential deactivated.', {
      label: 'Undo',
      run: async () => {
        // Undoing an activation is a deactivation: it may need the master password (a dialog then asks).
        const back = was ? await setActive(r.value.id, true) : await deactivate({ setActive, openDialog }, r.value.id);
        if (back && !back.ok) toastError(back.error);
      },
    });
  };

  return (
    <div className="mx-auto max-w-3xl px-8 py-7">
      <div className="flex items-start gap-4">
        <div className="flex h-11 w-11 shrink-0 items-center justify-center rounded-xl bg-accent-soft text-accent-text">
          <TypeIcon type={c.type} size={22} />
        </div>
        <div className="min-w-0 flex-1">
          <ClampedHeading text={c.name} lines={3} className="text-xl leading-snug font-semibold" />
          <div className="mt-1.5 flex flex-wrap items-center gap-1.5">
            <Badge tone="accent">{type.label}</Badge>
            {c.provider ? <span className="text-sm text-muted">{c.provider}</span> : null}
            {!c.active ? <Badge>Inactive</Badge> : null}
            {expiryText ? <Badge tone={expiry.kind === 'expired' ? 'danger' : 'warn'}>{expiryText}</Badge> : null}
          </div>
          {!c.active ? (
            <p role="note" className="mt-1.5 text-xs text-muted">
              Inactive: left out of rotation reminders and counted at half risk in Health. It can still be revealed and copied.
            </p>
          ) : null}
          {due && c.active ? (
            <p data-testid="rotation-due" className={`mt-1.5 text-xs ${due.status === 'overdue' ? 'font-medium text-danger-text' : due.status === 'due_soon' ? 'text-warn-text' : 'text-muted'}`}>
              {due.reason === 'compromised' ? <ShieldX size={13} className="mr-1 inline-block align-[-2px]" aria-hidden="true" /> : null}
              {dueSentence(due)} ({formatDate(due.dueAt)}){due.snoozedUntil ? ` · snoozed until ${formatDate(due.snoozedUntil)}` : ''}
            </p>
          ) : null}
        </div>
      </div>

      <div className="mt-5 flex flex-wrap gap-2" role="toolbar" aria-label="Credential actions">
        <Button size="sm" icon={Pencil} onClick={() => openDialog({ kind: 'edit', id: c.id })}>
          Edit
        </Button>
        <Button size="sm" icon={RotateCw} onClick={() => openDialog({ kind: 'rotate', id: c.id })}>
          Rotate
        </Button>
        <Button size="sm" icon={c.active ? Ban : Power} busy={busy === 'active'} onClick={() => void toggleActive()}>
          {c.active ? 'Deactivate' : 'Activate'}
        </Button>
        <Button size="sm" variant="danger-ghost" icon={ShieldX} className="ml-auto" onClick={() => openDialog({ kind: 'compromised', id: c.id })}>
          Mark compromised
        </Button>
        <Button size="sm" variant="danger-ghost" icon={Trash2} onClick={() => openDialog({ kind: 'delete', id: c.id })}>
          Delete
        </Button>
      </div>

      <SecretCard
        credential={c}
        secretLabel={type.secretLabel}
        revealed={revealed?.version === c.currentVersion ? revealed : null}
        revealBusy={busy === `reveal-${c.currentVersion}`}
        onReveal={() => void reveal(c.currentVersion)}
      />

      <CredentialFindings id={c.id} active={c.active} />

      <Card title="Details">
        <dl className="divide-y divide-line">
          {type.fields.map((spec) => {
            const value = detail?.fields[spec.key];
            if (!value) return null;
            return (
              <Row key={spec.key} label={spec.label} copy={{ target: { field: spec.key }, what: spec.label, label: `Copy ${spec.label}`, credential: c }}>
                <span className={spec.kind === 'url' || spec.kind === 'text' ? 'font-mono text-[13px]' : ''}>{value}</span>
              </Row>
            );
          })}
          {c.provider ? <Row label="Provider">{c.provider}</Row> : null}
          {c.description ? (
            <Row label="Description">
              <span className="whitespace-pre-wrap">{c.description}</span>
            </Row>
          ) : null}
          {c.tags.length > 0 ? (
            <Row label="Tags">
              <ul className="flex flex-wrap gap-1.5" aria-label="Tags">
                {c.tags.map((t) => (
                  <li key={t}>
                    <Badge>{t}</Badge>
                  </li>
                ))}
              </ul>
            </Row>
          ) : null}
          {type.expires ? <Row label="Expires">{c.expiresAt ? formatDate(c.expiresAt) : 'No expiry set'}</Row> : null}
          <Row label="Created">{formatDateTime(c.createdAt)}</Row>
          <Row label="Updated">{formatDateTime(c.updatedAt)}</Row>
          <Row label="Last rotated">{c.lastRotatedAt ? formatDateTime(c.lastRotatedAt) : 'Never'}</Row>
        </dl>
        {!detail ? <p className="px-4 pb-3 text-xs text-faint">Loading details…</p> : null}
      </Card>

      <Card title="Version history" icon={<History size={15} aria-hidden="true" />}>
        {detail ? (
          <ol className="divide-y divide-line" aria-label="Versions">
            {detail.versions.map((v) => (
              <VersionRow
                key={v.version}
                version={v}
                revealed={revealed?.version === v.version && v.version !== c.currentVersion ? revealed : null}
                busy={busy === `reveal-${v.version}`}
                onReveal={() => void reveal(v.version)}
              />
            ))}
          </ol>
        ) : (
          <p className="px-4 py-3 text-xs text-faint">Loading…</p>
        )}
      </Card>
    </div>
  );
}

function Card({ title, icon, children, aside }: { title: string; icon?: ReactNode; children: ReactNode; aside?: ReactNode }) {
  return (
    <section aria-label={title} className="mt-5 overflow-hidden rounded-xl border border-line bg-surface shadow-xs">
      <div className="flex items-center gap-2 border-b border-line px-4 py-2.5">
        {icon ? <span className="text-muted">{icon}</span> : null}
        <h3 className="text-[13px] font-semibold text-muted">{title}</h3>
        {aside ? <div className="ml-auto">{aside}</div> : null}
      </div>
      {children}
    </section>
  );
}

interface CopySpec {
  target: { field: string } | 'value';
  /** Names what was copied in the clipboard status ("Secret key", "Username"). */
  what: string;
  /** The button's accessible name. */
  label: string;
  credential: { id: string; name: string };
}

function CopyButton({ spec, withText = false }: { spec: CopySpec; withText?: boolean }) {
  const copyToClipboard = useStore((s) => s.copyToClipboard);
  const targetKey = spec.target === 'value' ? 'value' : spec.target.field;
  const copied = useStore((s) => s.clipboard !== null && s.clipboard.credentialId === spec.credential.id && s.clipboard.target === targetKey);
  const onClick = () => void copyToClipboard(spec.credential, spec.target, spec.what);
  if (withText)
    return (
      <Button size="sm" icon={copied ? Check : Copy} aria-label={spec.label} onClick={onClick}>
        {copied ? 'Copied' : 'Copy'}
      </Button>
    );
  return <IconButton size="sm" icon={copied ? Check : Copy} label={spec.label} onClick={onClick} className={copied ? 'text-ok-text' : ''} />;
}

function Row({ label, children, copy }: { label: string; children: ReactNode; copy?: CopySpec }) {
  return (
    <div className="flex min-h-11 items-center gap-4 px-4 py-2">
      <dt className="w-32 shrink-0 text-[13px] text-muted">{label}</dt>
      <dd className="flex min-w-0 flex-1 items-center gap-4 text-sm">
        <span className="min-w-0 flex-1 [overflow-wrap:anywhere]">{children}</span>
        {copy ? <CopyButton spec={copy} /> : null}
      </dd>
    </div>
  );
}

function SecretCard({
  credential,
  secretLabel,
  revealed,
  revealBusy,
  onReveal,
}: {
  credential: CredentialSummary;
  secretLabel: string;
  revealed: Revealed | null;
  revealBusy: boolean;
  onReveal: () => void;
}) {
  const left = useSecondsLeft(revealed?.hidesAt ?? null);
  return (
    <Card title={secretLabel} aside={<span className="text-xs text-faint">Version {credential.currentVersion}</span>}>
      <div className="flex items-center gap-3 px-4 py-3.5">
        <div className="min-w-0 flex-1">
          <div data-testid="secret-value" className={`font-mono text-[15px] break-all ${revealed ? 'text-fg select-all' : 'tracking-widest text-muted select-none'}`}>
            {revealed ? revealed.value : MASK}
          </div>
          {revealed ? (
            <p className="mt-1 text-xs text-warn-text" aria-live="polite">
              Visible — hides in {left} s
            </p>
          ) : null}
        </div>
        <Button size="sm" icon={revealed ? EyeOff : Eye} aria-label={revealed ? 'Hide value' : 'Reveal value'} busy={revealBusy} onClick={onReveal}>
          {revealed ? 'Hide' : 'Reveal'}
        </Button>
        <CopyButton withText spec={{ target: 'value', what: secretLabel, label: 'Copy value', credential }} />
      </div>
    </Card>
  );
}

function VersionRow({ version: v, revealed, busy, onReveal }: { version: VersionInfo; revealed: Revealed | null; busy: boolean; onReveal: () => void }) {
  const left = useSecondsLeft(revealed?.hidesAt ?? null);
  const current = v.stage === 'current';
  return (
    <li className="px-4 py-2.5" aria-label={`Version ${v.version}`}>
      <div className="flex items-center gap-3">
        <span className="w-20 shrink-0 text-sm font-medium tabular-nums">Version {v.version}</span>
        <Badge tone={current ? 'ok' : v.stage === 'pending' || v.note ? 'warn' : 'neutral'}>{STAGE_LABELS[v.stage] ?? v.stage}</Badge>
        <span className="text-xs text-muted">{ORIGIN_LABELS[v.origin] ?? v.origin}</span>
        <time dateTime={v.createdAt} className="ml-auto text-xs text-muted tabular-nums">
          {formatDateTime(v.createdAt)}
        </time>
        {!current ? (
          <Button size="sm" variant="ghost" icon={revealed ? EyeOff : Eye} aria-label={`${revealed ? 'Hide' : 'Reveal'} version ${v.version}`} busy={busy} onClick={onReveal}>
            {revealed ? 'Hide' : 'Reveal'}
          </Button>
        ) : (
          <span className="w-[74px]" aria-hidden="true" />
        )}
      </div>
      {v.note ? <p className="mt-1 pl-[92px] text-xs text-muted [overflow-wrap:anywhere]">{v.note}</p> : null}
      {revealed ? (
        <div className="mt-2 rounded-lg bg-subtle px-3 py-2">
          <div data-testid={`version-${v.version}-value`} className="font-mono text-[13px] break-all select-all">
            {revealed.value}
          </div>
          <p className="mt-1 text-xs text-warn-text">Hides in {left} s</p>
        </div>
      ) : null}
    </li>
  );
}
