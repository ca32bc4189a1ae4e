/**
 * Incidents (docs/audit-format.md §9): what the watch over the audit trail
 * found serious enough to open an incident, newest first — each with what
 * Keyward did by itself, its timeline, and Acknowledge / Resolve — the minor
 * anomalies below, and beside them the thresholds the watch applies.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Anomaly } from '../../../../shared/incidents';
import { Button } from '../../components/Button';
import { LoadError, Loading } from '../../components/LoadState';
import { CheckboxField } from '../../components/Field';
import { RefreshCw, ShieldCheck } from '../../components/icons';
import { formatCount, formatDateTime, plural } from '../../lib/format';
import { useStore } from '../../store';
import { IncidentCard } from './IncidentCard';
import { KIND_LABELS, watchSummary } from './incident-words';
import { SeverityBadge } from './IncidentBadges';
import { RulesPanel } from './RulesPanel';

/** Minor anomalies shown before "Show all". */
const ANOMALIES_SHOWN = 10;

export function IncidentsScreen() {
  const view = useStore((s) => s.incidents);
  const error = useStore((s) => s.incidentsError);
  const showResolved = useStore((s) => s.showResolved);
  const setShowResolved = useStore((s) => s.setShowResolved);
  const loadIncidents = useStore((s) => s.loadIncidents);
  const focused = useStore((s) => s.focusedIncident);
  const takeFocusedIncident = useStore((s) => s.takeFocusedIncident);
  const [openId, setOpenId] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  /** An incident to bring into view (and focus) once it is listed: the one a toast's View asked for. */
  const pendingFocus = useRef<string | null>(null);
  const toggles = useRef(new Map<string, HTMLButtonElement>());
  const heading = useRef<HTMLHeadingElement>(null);

  // Always fresh on arrival: another process may have opened (or resolved) incidents since.
  useEffect(() => {
    void loadIncidents();
  }, [loadIncidents]);

  useEffect(() => {
    if (focused === null) return;
    const id = takeFocusedIncident();
    if (id) {
      setOpenId(id);
      pendingFocus.current = id;
    }
  }, [focused, takeFocusedIncident]);

  const incidents = view?.incidents ?? null;
  useEffect(() => {
    const id = pendingFocus.current;
    const button = id ? toggles.current.get(id) : undefined;
    if (!button) return;
    pendingFocus.current = null;
    button.scrollIntoView({ block: 'nearest' });
    button.focus();
  }, [incidents, openId]);

  // An open incident that leaves the list (resolved while resolved ones are hidden): focus goes back to the heading.
  useEffect(() => {
    if (!incidents || openId === null || pendingFocus.current === openId) return;
    if (!incidents.some((i) => i.id === openId)) {
      setOpenId(null);
      if (document.activeElement === document.body || !document.activeElement?.isConnected) heading.current?.focus();
    }
  }, [incidents, openId]);

  const toggle = useCallback((id: string) => setOpenId((current) => (current === id ? null : id)), []);
  const refresh = async () => {
    setRefreshing(true);
    await loadIncidents();
    setRefreshing(false);
  };

  const unresolved = incidents?.filter((i) => i.status !== 'resolved').length ?? 0;
  return (
    // The bottom padding lets the last card scroll clear of the toasts (bottom left). `relative`: the
    // screen-reader-only words (absolutely placed) stay inside the scrolling pane instead of stretching the page.
    <div className="relative mx-auto flex max-w-6xl gap-6 px-8 pt-7 pb-40 max-lg:flex-col">
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
          <div className="min-w-0">
            <h1 ref={heading} tabIndex={-1} className="text-xl font-semibold outline-none">
              Incidents
            </h1>
            <p className="mt-1 text-sm text-muted">
              {incidents === null
                ? 'What the watch over the audit trail found.'
                : unresolved > 0
                  ? `${plural(unresolved, 'incident')} to look into, newest first.`
                  : 'Nothing to look into.'}
            </p>
          </div>
          <div className="flex items-center gap-3">
            <CheckboxField label="Show resolved" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} />
            <Button size="sm" icon={RefreshCw} busy={refreshing} onClick={() => void refresh()}>
              Refresh
            </Button>
          </div>
        </div>

        {error ? (
          <LoadError>Incidents could not be read: {error.message}</LoadError>
        ) : null}

        {incidents === null ? (
          error ? null : (
            <Loading label="Loading incidents" />
          )
        ) : incidents.length === 0 ? (
          <div className="mt-5 flex flex-col items-center rounded-xl border border-dashed border-line-strong bg-surface px-6 py-10 text-center">
            <ShieldCheck size={32} className="text-ok-text" aria-hidden="true" />
            <h2 className="mt-3 font-semibold">No incidents</h2>
            <p className="mt-1 max-w-lg text-sm text-muted">{watchSummary(view?.rules ?? null)}</p>
          </div>
        ) : (
          <section aria-labelledby="incidents-list-title" className="mt-5">
            <h2 id="incidents-list-title" className="sr-only">
              {showResolved ? 'All incidents' : 'Unresolved incidents'}
            </h2>
            <ol aria-label="Incidents, newest first" className="space-y-3">
              {incidents.map((i) => (
                <IncidentCard
                  key={i.id}
                  ref={(el) => {
                    if (el) toggles.current.set(i.id, el);
                    else toggles.current.delete(i.id);
                  }}
                  incident={i}
                  open={openId === i.id}
                  onToggle={toggle}
                />
              ))}
            </ol>
          </section>
        )}

        {view ? <OtherAnomalies anomalies={view.anomalies} /> : null}
      </div>
      {view ? (
        <aside aria-label="Thresholds" className="w-[360px] shrink-0 self-start max-lg:w-full">
          <RulesPanel rules={view.rules} />
        </aside>
      ) : null}
    </div>
  );
}

/** Minor anomalies (no incident): compact, newest first. */
function OtherAnomalies({ anomalies }: { anomalies: Anomaly[] }) {
  const [all, setAll] = useState(false);
  const shown = all ? anomalies : anomalies.slice(0, ANOMALIES_SHOWN);
  return (
    <section aria-labelledby="other-anomalies-title" className="mt-8">
      <h2 id="other-anomalies-title" className="text-sm font-semibold">
        Other anomalies
      </h2>
      <p className="mt-0.5 text-xs text-muted">Minor and worth knowing, but no incident: a new actor, use at an odd hour.</p>
      {anomalies.length === 0 ? (
        <p className="mt-2 text-[13px] text-muted">None.</p>
      ) : (
        <>
          <ul aria-label="Other anomalies, newest first" className="mt-2 divide-y divide-line rounded-xl border border-line bg-surface">
            {shown.map((a, k) => (
              <li key={`${a.at}-${k}`} className="flex items-start gap-3 px-3 py-2 text-[13px]">
                <SeverityBadge severity={a.severity} className="mt-px w-14 justify-center" />
                <p className="line-clamp-3 min-w-0 flex-1 [overflow-wrap:anywhere]" title={a.explanation.length > 300 ? a.explanation : undefined}>
                  <span className="font-medium">{KIND_LABELS[a.kind]}:</span> {a.explanation}
                </p>
                <time dateTime={a.at} className="shrink-0 text-xs text-muted tabular-nums">
                  {formatDateTime(a.at)}
                </time>
              </li>
            ))}
          </ul>
          {anomalies.length > ANOMALIES_SHOWN ? (
            <Button size="sm" variant="ghost" className="mt-1" aria-expanded={all} onClick={() => setAll((v) => !v)}>
              {all ? 'Show fewer' : `Show all ${formatCount(anomalies.length)}`}
            </Button>
          ) : null}
        </>
      )}
    </section>
  );
}
