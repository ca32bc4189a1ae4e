/**
 * The Records view of the Audit screen: the filters, a line saying how much
 * of the trail is shown, and the table, which reads older pages as it is
 * scrolled toward its end. Chosen filters apply at once; typed ones once
 * typing pauses, since every read of the trail is itself recorded.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Button } from '../../components/Button';
import { LoaderCircle, TriangleAlert } from '../../components/icons';
import { filterProblems, isFiltering, NO_FILTERS, sameText, toQuery, type AuditFilters } from './audit-filters';
import { shownLine } from './audit-words';
import { AuditFilterBar } from './AuditFilterBar';
import { AuditTable } from './AuditTable';
import { useAuditPages } from './useAuditPages';

/** How long typing must pause before a typed filter applies. */
const TYPING_PAUSE_MS = 400;

export function AuditRecords({ reload, onRefresh }: { reload: number; onRefresh: () => void }) {
  const lineId = useId();
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [applied, setApplied] = useState<AuditFilters>(NO_FILTERS);
  useEffect(() => {
    if (filters === applied) return;
    const timer = setTimeout(() => setApplied(filters), sameText(filters, applied) ? 0 : TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [filters, applied]);

  // A recent span ("last 24 hours") is measured from when it is applied or refreshed.
  const lastGood = useRef(toQuery(NO_FILTERS, new Date())!);
  // (`reload` is a dependency so that Refresh re-measures a recent span.)
  const query = useMemo(() => {
    const q = toQuery(applied, new Date());
    if (q) lastGood.current = q;
    return lastGood.current;
  }, [applied, reload]);
  const queryKey = JSON.stringify(query);
  const pages = useAuditPages(query, queryKey, reload);

  // Actors seen so far, as suggestions for the actor field (kept across filters: a filter hides the others).
  const [actors, setActors] = useState<string[]>([]);
  useEffect(() => {
    const seen = new Set(actors);
    let added = false;
    // The newest page is enough to learn who uses the vault; a 100k-record scan per page would not be.
    for (const r of pages.records.slice(0, 5000)) {
      if (!seen.has(r.actor)) {
        seen.add(r.actor);
        added = true;
      }
    }
    if (added) setActors([...seen]);
  }, [pages.records, actors]);

  const problems = filterProblems(filters);
  const filtering = isFiltering(applied);
  const first = !pages.ready;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <AuditFilterBar
        filters={filters}
        problems={problems}
        onChange={setFilters}
        onClear={isFiltering(filters) ? () => setFilters(NO_FILTERS) : null}
        onRefresh={onRefresh}
        refreshing={pages.loading && first}
        actors={actors}
      />

      {pages.error && pages.records.length === 0 ? (
        <ReadError message={pages.error.message} onRetry={pages.retry} />
      ) : first ? (
        <div className="flex h-40 items-center justify-center" aria-busy="true">
          <LoaderCircle size={22} className="animate-spin text-faint" aria-label="Reading the audit trail" />
        </div>
      ) : pages.records.length === 0 ? (
        <p className="mt-6 text-sm text-muted">No records match.</p>
      ) : (
        <>
          <p id={lineId} aria-live="polite" className="mt-4 mb-2 text-xs text-muted">
            {shownLine({ records: pages.records, more: pages.more, filtering })}
          </p>
          <AuditTable records={pages.records} more={pages.more} onShown={pages.nearEnd} describedBy={lineId} resetKey={`${queryKey}/${reload}`} />
          <div className="flex min-h-9 items-center gap-3 pt-2 text-xs text-muted">
            {pages.error ? (
              <ReadError message={pages.error.message} onRetry={pages.retry} compact />
            ) : pages.loading ? (
              <span className="inline-flex items-center gap-2" role="status">
                <LoaderCircle size={14} className="animate-spin" aria-hidden="true" />
                Reading older records…
              </span>
            ) : pages.more ? (
              <Button size="sm" variant="ghost" onClick={pages.loadOlder}>
                Load older records
              </Button>
            ) : (
              <span>{filtering ? 'No older records match.' : 'This is the start of the trail.'}</span>
            )}
          </div>
        </>
      )}
    </div>
  );
}

function ReadError({ message, onRetry, compact = false }: { message: string; onRetry: () => void; compact?: boolean }) {
  return (
    <div role="alert" className={`flex items-start gap-2 rounded-lg border border-danger-text/30 bg-surface text-sm ${compact ? 'px-3 py-1.5' : 'mt-4 px-4 py-3'}`}>
      <TriangleAlert size={16} className="mt-0.5 shrink-0 text-danger-text" aria-hidden="true" />
      <p className="min-w-0 flex-1 [overflow-wrap:anywhere]">The audit trail could not be read: {message}</p>
      <Button size="sm" onClick={onRetry}>
        Try again
      </Button>
    </div>
  );
}
