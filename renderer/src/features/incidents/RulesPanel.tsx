/**
 * The thresholds the watch over the audit trail applies (`rules` of
 * incidents.list), in words: when each kind fires, how serious it is, and
 * what Keyward does by itself.
 */
import { useId } from 'react';
import type { DetectionRulesView } from '../../../../shared/ipc/contract';
import { Gauge } from '../../components/icons';
import { ruleTexts } from './incident-words';
import { SeverityBadge } from './IncidentBadges';

export function RulesPanel({ rules }: { rules: DetectionRulesView }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="overflow-hidden rounded-xl border border-line bg-surface shadow-xs">
      <div className="border-b border-line px-4 py-3">
        <h2 id={id} className="flex items-center gap-2 text-sm font-semibold">
          <Gauge size={16} className="text-muted" aria-hidden="true" />
          What Keyward watches
        </h2>
        <p className="mt-1 text-xs text-muted">The thresholds of the watch over the audit trail. High and critical findings open an incident; the others are only listed.</p>
      </div>
      <dl className="divide-y divide-line">
        {ruleTexts(rules).map((r) => (
          <div key={r.kind} className="px-4 py-2.5">
            <dt className="flex items-center justify-between gap-2 text-[13px] font-medium">
              {r.name}
              <SeverityBadge severity={r.severity} />
            </dt>
            <dd className="mt-0.5 text-xs [overflow-wrap:anywhere]">{r.when}</dd>
            <dd className="mt-0.5 text-xs text-muted [overflow-wrap:anywhere]">{r.then}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
