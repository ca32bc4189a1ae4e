/**
 * The audit trail (docs/audit-format.md): every operation on the vault, who
 * did it, to which credential and how it ended — never a value — newest
 * first, with a Verify button that checks the whole chain in main. Reading and
 * verifying are themselves recorded.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AuditRecordView, AuditReport } from '../../../../shared/ipc/contract';
import { Button } from '../../components/Button';
import { SelectField, TextField } from '../../components/Field';
import { RefreshCw, ShieldAlert, ShieldCheck } from '../../components/icons';
import { call } from '../../lib/api';
import { useStore } from '../../store';

/** How many of the newest records the screen asks for. */
const SHOWN = 1000;

const OUTCOMES = { all: 'All outcomes', success: 'Succeeded', failure: 'Failed' } as const;

function when(iso: string): string {
  return iso.replace('T', ' ').slice(0, 19);
}

export function AuditScreen() {
  const toastError = useStore((s) => s.toastError);
  const [records, setRecords] = useState<AuditRecordView[] | null>(null);
  const [outcome, setOutcome] = useState<keyof typeof OUTCOMES>('all');
  const [credential, setCredential] = useState('');
  // Each read of the trail is itself recorded: the name filter applies once typing pauses, not at every key.
  const [appliedCredential, setAppliedCredential] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setAppliedCredential(credential.trim()), 400);
    return () => clearTimeout(timer);
  }, [credential]);
  const [report, setReport] = useState<AuditReport | null>(null);
  const [verifying, setVerifying] = useState(false);

  const load = useCallback(async () => {
    const r = await call('audit.records', { limit: SHOWN, ...(outcome !== 'all' ? { outcome } : {}), ...(appliedCredential ? { credential: appliedCredential } : {}) });
    if (!r.ok) return toastError(r.error);
    setRecords([...r.value].reverse());
  }, [outcome, appliedCredential, toastError]);

  useEffect(() => {
    void load();
  }, [load]);

  const verify = async () => {
    setVerifying(true);
    const r = await call('audit.verify', {});
    setVerifying(false);
    if (!r.ok) return toastError(r.error);
    setReport(r.value);
    void load();
  };

  return (
    <div className="mx-auto max-w-5xl px-8 py-7">
      <div className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold">Audit trail</h1>
          <p className="mt-1 text-sm text-muted">
            Every operation on this vault, chained so that a changed, removed or reordered record is found. Names are stored sealed; values never.
          </p>
        </div>
        <Button icon={ShieldCheck} busy={verifying} onClick={() => void verify()}>
          Verify
        </Button>
      </div>

      {report ? (
        report.intact ? (
          <div role="status" className="mt-4 flex items-start gap-2 rounded-lg border border-line bg-surface px-4 py-3 text-sm">
            <ShieldCheck size={18} className="mt-px shrink-0 text-ok-text" aria-hidden="true" />
            <p>
              Intact: {report.records.toLocaleString()} record{report.records === 1 ? '' : 's'}, each chained to the one before, matching the trail&rsquo;s head and the vault&rsquo;s anchor.
            </p>
          </div>
        ) : (
          <div role="alert" className="mt-4 rounded-lg border border-danger-text/30 bg-surface px-4 py-3 text-sm">
            <p className="flex items-center gap-2 font-semibold text-danger-text">
              <ShieldAlert size={18} aria-hidden="true" />
              The audit trail is not intact ({report.problems.length} problem{report.problems.length === 1 ? '' : 's'})
            </p>
            <ul className="mt-2 list-disc space-y-1 pl-6">
              {report.problems.map((p, i) => (
                <li key={i} className="[overflow-wrap:anywhere]">
                  {p.line ? `Line ${p.line}: ` : ''}
                  {p.message}
                </li>
              ))}
            </ul>
          </div>
        )
      ) : null}

      <div className="mt-5 flex items-end gap-3">
        <TextField label="Credential name" placeholder="Exact name" value={credential} onChange={(e) => setCredential(e.target.value)} containerClassName="w-72" />
        <SelectField label="Outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as keyof typeof OUTCOMES)} containerClassName="w-48">
          {Object.entries(OUTCOMES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <Button icon={RefreshCw} onClick={() => void load()}>
          Refresh
        </Button>
      </div>

      {records === null ? null : records.length === 0 ? (
        <p className="mt-6 text-sm text-muted">No records match.</p>
      ) : (
        <>
          <p className="mt-4 mb-2 text-xs text-muted">
            {records.length === SHOWN ? `The newest ${SHOWN.toLocaleString()} records` : `${records.length.toLocaleString()} record${records.length === 1 ? '' : 's'}`}, newest first.
          </p>
          <div className="overflow-x-auto rounded-xl border border-line bg-surface">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Audit records, newest first</caption>
              <thead className="border-b border-line text-xs text-muted">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">Time (UTC)</th>
                  <th scope="col" className="px-3 py-2 font-medium">Actor</th>
                  <th scope="col" className="px-3 py-2 font-medium">Action</th>
                  <th scope="col" className="px-3 py-2 font-medium">Credential</th>
                  <th scope="col" className="px-3 py-2 font-medium">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {records.map((r) => (
                  <tr key={r.seq} className="border-b border-line/60 last:border-0">
                    <td className="px-3 py-1.5 whitespace-nowrap tabular-nums">{when(r.at)}</td>
                    <td className="px-3 py-1.5">{r.actor}</td>
                    <td className="px-3 py-1.5 font-mono text-xs">
                      {r.action}
                      {r.locked ? <span className="ml-2 font-sans text-muted">(while locked)</span> : null}
                    </td>
                    <td className="max-w-[16rem] truncate px-3 py-1.5" title={r.credential}>
                      {r.credential ?? ''}
                    </td>
                    <td className={`px-3 py-1.5 whitespace-nowrap ${r.outcome === 'failure' ? 'text-danger-text' : ''}`}>{r.outcome === 'success' ? 'Succeeded' : `Failed${r.code ? ` (${r.code})` : ''}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
