/**
 * One incident: severity, kind, what happened and what Keyward did, as a
 * card; opened, its timeline (the trail records behind it, read with
 * `audit.records` { seqs }), its notes, and Acknowledge / Resolve with an
 * optional note. Errors from main show inline, by their message.
 */
import { forwardRef, useEffect, useId, useState } from 'react';
import type { AuditRecordView } from '../../../../shared/ipc/contract';
import type { Incident, IncidentResponse } from '../../../../shared/incidents';
import { Button } from '../../components/Button';
import { ClampedText } from '../../components/ClampedText';
import { FieldFrame, inputClass } from '../../components/Field';
import { Bell, Check, CheckCheck, ChevronDown, LoaderCircle, KeySquare, Lock, RotateCw, TriangleAlert, type LucideIcon } from '../../components/icons';
import { call, type ErrorInfo } from '../../lib/api';
import { formatCount, formatDateTime } from '../../lib/format';
import { useStore } from '../../store';
import { KIND_LABELS, RESPONSE_DONE, STATUS_LABELS, trailTime } from './incident-words';
import { SeverityBadge, StatusBadge } from './IncidentBadges';
import { outcomeText, RECORD_COLUMNS } from '../audit/audit-words';

/** What main accepts for a note (incidents.update). */
export const NOTE_MAX = 2000;

const RESPONSE_ICONS: Record<IncidentResponse, LucideIcon> = { notify: Bell, lock: Lock, 'flag-for-rotation': RotateCw, 'suspend-grant': KeySquare };

interface IncidentCardProps {
  incident: Incident;
  open: boolean;
  onToggle: (id: string) => void;
}

/** The forwarded ref is the card's toggle button (focused when a toast's View opens the incident). */
export const IncidentCard = forwardRef<HTMLButtonElement, IncidentCardProps>(function IncidentCard({ incident: i, open, onToggle }, ref) {
  const id = useId();
  return (
    <li aria-labelledby={`${id}-title`} className={`rounded-xl border bg-surface shadow-xs ${open ? 'border-accent' : 'border-line'}`}>
      <div className="px-4 py-3">
        <div className="flex flex-wrap items-center gap-1.5">
          <SeverityBadge severity={i.severity} />
          <StatusBadge status={i.status} />
          <span className="ml-auto text-xs text-muted">
            Opened{' '}
            <time dateTime={i.openedAt} className="tabular-nums">
              {formatDateTime(i.openedAt)}
            </time>
          </span>
        </div>
        <h3 id={`${id}-title`} className="mt-1.5">
          <button
            ref={ref}
            type="button"
            aria-expanded={open}
            aria-controls={`${id}-detail`}
            onClick={() => onToggle(i.id)}
            className="-mx-1 flex items-center gap-1 rounded-md px-1 text-left font-semibold hover:text-accent-text focus-visible:outline-2 focus-visible:outline-ring"
          >
            <ChevronDown size={16} className={`shrink-0 text-muted transition-transform ${open ? '' : '-rotate-90'}`} aria-hidden="true" />
            {KIND_LABELS[i.kind]}
            <span className="sr-only">, opened {formatDateTime(i.openedAt)}</span>
          </button>
        </h3>
        <Explanation text={i.explanation} open={open} />
        <Responses responses={i.responses} />
      </div>
      <div id={`${id}-detail`} hidden={!open} className="border-t border-line px-4 pt-3 pb-4">
        {open ? <IncidentDetail incident={i} /> : null}
      </div>
    </li>
  );
});

/** Past this many characters an open card's explanation scrolls in its own box (it names credentials, which may be 10,000 characters long). */
const LONG_EXPLANATION = 600;

/** Clamped while the card is closed; whole when it is open (a very long one in a bounded box that scrolls, reachable by keyboard). */
function Explanation({ text, open }: { text: string; open: boolean }) {
  if (!open) return <ClampedText as="p" text={text} lines={4} className="mt-1 text-sm" />;
  if (text.length <= LONG_EXPLANATION) return <p className="mt-1 text-sm [overflow-wrap:anywhere]">{text}</p>;
  return (
    <p tabIndex={0} aria-label="Explanation" className="mt-1 max-h-48 overflow-y-auto rounded-md text-sm [overflow-wrap:anywhere] focus-visible:outline-2 focus-visible:outline-ring">
      {text}
    </p>
  );
}

function Responses({ responses }: { responses: IncidentResponse[] }) {
  if (responses.length === 0) return <p className="mt-1.5 text-xs text-muted">Keyward did nothing by itself.</p>;
  return (
    <div className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted">
      <span>What Keyward did:</span>
      <ul className="flex flex-wrap items-center gap-x-3 gap-y-1">
        {responses.map((r) => {
          const Icon = RESPONSE_ICONS[r];
          return (
            <li key={r} className="inline-flex items-center gap-1 text-fg">
              <Icon size={13} className="text-muted" aria-hidden="true" />
              {RESPONSE_DONE[r].charAt(0).toUpperCase() + RESPONSE_DONE[r].slice(1)}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function IncidentDetail({ incident: i }: { incident: Incident }) {
  return (
    <>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-[13px]">
        {i.credential ? (
          <>
            <dt className="text-muted">Credential</dt>
            <dd className="min-w-0">
              <ClampedText text={i.credential} lines={2} title={i.credential} />
            </dd>
          </>
        ) : null}
        {i.actor ? (
          <>
            <dt className="text-muted">Actor</dt>
            <dd className="min-w-0">
              <ClampedText text={i.actor} lines={1} />
            </dd>
          </>
        ) : null}
        <dt className="text-muted">Last event</dt>
        <dd>
          <time dateTime={i.at}>{formatDateTime(i.at)}</time>
        </dd>
        <dt className="text-muted">Incident</dt>
        <dd className="font-mono text-xs leading-5">{i.id}</dd>
      </dl>
      {i.notes.length > 0 ? <Notes incident={i} /> : null}
      <Timeline incident={i} />
      {i.status !== 'resolved' ? <Respond key={i.status} incident={i} /> : null}
    </>
  );
}

function Notes({ incident: i }: { incident: Incident }) {
  return (
    <section aria-label="Notes" className="mt-4">
      <h4 className="text-[13px] font-semibold text-muted">Notes</h4>
      <ol className="mt-1.5 space-y-1.5">
        {i.notes.map((n, k) => (
          <li key={k} className="rounded-lg bg-subtle px-3 py-2 text-[13px]">
            <p className="text-xs text-muted">
              {STATUS_LABELS[n.status]} <time dateTime={n.at}>{formatDateTime(n.at)}</time>
            </p>
            {n.note ? <p className="mt-0.5 whitespace-pre-wrap [overflow-wrap:anywhere]">{n.note}</p> : <p className="mt-0.5 text-muted italic">No note.</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}

type Records = { state: 'loading' } | { state: 'loaded'; records: AuditRecordView[] } | { state: 'failed'; error: ErrorInfo };

/** The trail records behind the incident, oldest first (each read of the trail is itself recorded: read once per opening). */
function Timeline({ incident: i }: { incident: Incident }) {
  const [records, setRecords] = useState<Records>({ state: 'loading' });
  const seqs = i.seqs.join(',');
  useEffect(() => {
    if (!seqs) return;
    let live = true;
    setRecords({ state: 'loading' });
    void call('audit.records', { seqs: seqs.split(',').map(Number) }).then((r) => {
      if (!live) return;
      setRecords(r.ok ? { state: 'loaded', records: [...r.value].sort((a, b) => a.seq - b.seq) } : { state: 'failed', error: r.error });
    });
    return () => {
      live = false;
    };
  }, [seqs]);

  const caption = `Timeline: the ${i.seqs.length === 1 ? 'trail record' : `${formatCount(i.seqs.length)} trail records`} behind this incident, oldest first`;
  return (
    <section aria-label="Timeline" className="mt-4">
      <h4 className="text-[13px] font-semibold text-muted">Timeline</h4>
      {i.seqs.length === 0 ? (
        <p className="mt-1 text-[13px] text-muted">No trail record lies behind this incident (it was found outside the trail).</p>
      ) : records.state === 'loading' ? (
        <p className="mt-1 flex items-center gap-2 text-[13px] text-muted" aria-busy="true">
          <LoaderCircle size={14} className="animate-spin" aria-hidden="true" />
          Reading the trail…
        </p>
      ) : records.state === 'failed' ? (
        <p role="alert" className="mt-1 flex items-start gap-1.5 text-[13px] text-danger-text [overflow-wrap:anywhere]">
          <TriangleAlert size={14} className="mt-0.5 shrink-0" aria-hidden="true" />
          The timeline could not be read: {records.error.message}
        </p>
      ) : (
        <>
          {records.records.length < i.seqs.length ? (
            <p className="mt-1 text-xs text-warn-text">
              {formatCount(i.seqs.length - records.records.length)} of the {formatCount(i.seqs.length)} records are no longer in the trail.
            </p>
          ) : null}
          <div className="mt-1.5 overflow-x-auto rounded-lg border border-line">
            <table className="w-full text-left text-[13px]">
              <caption className="sr-only">{caption}</caption>
              <thead className="border-b border-line bg-subtle text-xs text-muted">
                <tr>
                  {RECORD_COLUMNS.map((column) => (
                    <th key={column} scope="col" className="px-2.5 py-1.5 font-medium">
                      {column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {records.records.map((r) => (
                  <tr key={r.seq} className="border-b border-line/60 last:border-0">
                    <td className="px-2.5 py-1 whitespace-nowrap tabular-nums">{trailTime(r.at)}</td>
                    <td className="px-2.5 py-1">{r.actor}</td>
                    <td className="px-2.5 py-1 font-mono text-xs">{r.action}</td>
                    <td className="max-w-[14rem] truncate px-2.5 py-1" title={r.credential}>
                      {r.credential ?? ''}
                    </td>
                    <td className={`px-2.5 py-1 whitespace-nowrap ${r.outcome === 'failure' ? 'text-danger-text' : ''}`}>{outcomeText(r)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** Acknowledge (while open) and Resolve, with an optional note; main's refusal shows here, by its message. */
function Respond({ incident: i }: { incident: Incident }) {
  const applyIncident = useStore((s) => s.applyIncident);
  const toast = useStore((s) => s.toast);
  const handleLocked = useStore((s) => s.handleLocked);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<'acknowledged' | 'resolved' | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const fieldId = useId();

  const update = async (status: 'acknowledged' | 'resolved') => {
    setBusy(status);
    setError(null);
    const text = note.trim();
    const r = await call('incidents.update', { id: i.id, status, ...(text ? { note: text } : {}) });
    setBusy(null);
    if (!r.ok) {
      if (r.error.code === 'VAULT_LOCKED') return void handleLocked('user');
      return setError(r.error);
    }
    toast('success', status === 'resolved' ? 'Incident resolved.' : 'Incident acknowledged.');
    applyIncident(r.value);
  };

  const noteError = error?.field === 'note' ? error.message : undefined;
  const counter = `${formatCount(note.length)} / ${formatCount(NOTE_MAX)}`;
  return (
    <form
      noValidate
      aria-label="Respond to this incident"
      className="mt-4"
      onSubmit={(e) => {
        e.preventDefault();
      }}
    >
      <FieldFrame
        id={fieldId}
        label="Note (optional)"
        error={noteError}
        labelAside={
          <span id={`${fieldId}-count`} className={`text-xs tabular-nums ${note.length >= NOTE_MAX ? 'text-warn-text' : 'text-muted'}`}>
            <span className="sr-only">Characters: </span>
            {counter}
          </span>
        }
      >
        <textarea
          id={fieldId}
          value={note}
          maxLength={NOTE_MAX}
          rows={3}
          placeholder="What you found, what you did"
          aria-invalid={noteError ? true : undefined}
          aria-describedby={`${fieldId}-count${noteError ? ` ${fieldId}-error` : ''}`}
          onChange={(e) => setNote(e.target.value)}
          className={`${inputClass} min-h-[72px] resize-y py-2`}
        />
      </FieldFrame>
      {error && !noteError ? (
        <p role="alert" className="mt-2 flex items-start gap-1.5 text-[13px] text-danger-text [overflow-wrap:anywhere]">
          <TriangleAlert size={14} className="mt-0.5 shrink-0" aria-hidden="true" />
          {error.message}
        </p>
      ) : null}
      <div className="mt-3 flex flex-wrap items-center gap-2">
        {i.status === 'open' ? (
          <Button size="sm" icon={Check} busy={busy === 'acknowledged'} disabled={busy === 'resolved'} onClick={() => void update('acknowledged')}>
            Acknowledge
          </Button>
        ) : null}
        <Button size="sm" variant="primary" icon={CheckCheck} busy={busy === 'resolved'} disabled={busy === 'acknowledged'} onClick={() => void update('resolved')}>
          Resolve
        </Button>
        <p className="text-xs text-muted">{i.status === 'open' ? 'Acknowledge: you have seen it and are looking into it. Resolve: dealt with.' : 'Resolve once it is dealt with.'}</p>
      </div>
    </form>
  );
}
