/**
 * The audit trail (docs/audit-format.md): every operation on the vault, who
 * did it, to which credential and how it ended — never a value — newest
 * first, with a Verify button that checks the whole chain in main. Two views:
 * Records (filtered, paged back through the whole trail as it is scrolled) and
 * Usage (reads per day, by credential and by actor). Reading and verifying
 * are themselves recorded, so nothing here reads on a timer.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import type { AuditReport } from '../../../../shared/ipc/contract';
import { Button } from '../../components/Button';
import { ShieldAlert, ShieldCheck } from '../../components/icons';
import { call } from '../../lib/api';
import { useStore } from '../../store';
import { AuditRecords } from './AuditRecords';
import { UsagePanel } from './UsagePanel';

type View = 'records' | 'usage';
const VIEWS: { view: View; label: string }[] = [
  { view: 'records', label: 'Records' },
  { view: 'usage', label: 'Usage' },
];

export function AuditScreen() {
  const toastError = useStore((s) => s.toastError);
  const [view, setView] = useState<View>('records');
  // A view stays mounted once opened: switching back keeps its filters and place, and reads nothing again.
  const [opened, setOpened] = useState<ReadonlySet<View>>(() => new Set(['records']));
  const show = (v: View) => {
    setView(v);
    setOpened((s) => (s.has(v) ? s : new Set([...s, v])));
  };
  const [report, setReport] = useState<AuditReport | null>(null);
  const [verifying, setVerifying] = useState(false);
  /** Moves on Refresh and after Verify: the records are read again from the newest. */
  const [reload, setReload] = useState(0);
  const tabs = useRef(new Map<View, HTMLButtonElement>());

  const verify = async () => {
    setVerifying(true);
    const r = await call('audit.verify', {});
    setVerifying(false);
    if (!r.ok) return toastError(r.error);
    setReport(r.value);
    // Verifying is recorded: the records are read again so that its record shows (as before this screen paged).
    setReload((n) => n + 1);
  };

  // Tabs (WAI-ARIA): arrows move between them, Home/End to the ends; the chosen one is the only one in the tab order.
  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const i = VIEWS.findIndex((v) => v.view === view);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: VIEWS.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const target = VIEWS[(next + VIEWS.length) % VIEWS.length]!.view;
    show(target);
    tabs.current.get(target)?.focus();
  };

  return (
    // Records fill the pane (the table scrolls inside it); Usage is a page that the pane scrolls.
    <div className={`mx-auto flex max-w-6xl flex-col px-8 pt-7 ${view === 'records' ? 'h-full pb-3' : ''}`}>
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
          <div role="alert" className="mt-4 max-h-48 overflow-y-auto rounded-lg border border-danger-text/30 bg-surface px-4 py-3 text-sm">
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

      <div role="tablist" aria-label="Audit trail views" className="mt-4 mb-4 flex shrink-0 gap-1 border-b border-line">
        {VIEWS.map(({ view: v, label }) => {
          const selected = v === view;
          return (
            <button
              key={v}
              ref={(el) => {
                if (el) tabs.current.set(v, el);
                else tabs.current.delete(v);
              }}
              type="button"
              role="tab"
              id={`audit-tab-${v}`}
              aria-selected={selected}
              aria-controls={opened.has(v) ? `audit-panel-${v}` : undefined}
              tabIndex={selected ? 0 : -1}
              onClick={() => show(v)}
              onKeyDown={onTabKey}
              className={`-mb-px rounded-t-md border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-ring ${
                selected ? 'border-accent text-accent-text' : 'border-transparent text-muted hover:text-fg'
              }`}
            >
              {label}
            </button>
          );
        })}
      </div>

      <div role="tabpanel" id="audit-panel-records" aria-labelledby="audit-tab-records" hidden={view !== 'records'} className="flex min-h-0 flex-1 flex-col">
        <AuditRecords reload={reload} onRefresh={() => setReload((n) => n + 1)} />
      </div>
      {opened.has('usage') ? (
        <div role="tabpanel" id="audit-panel-usage" aria-labelledby="audit-tab-usage" hidden={view !== 'usage'}>
          <UsagePanel />
        </div>
      ) : null}
    </div>
  );
}
