/**
 * One security metric as a card: its status in colour and in words, the
 * figure, what it counts and what to do, and the controls it supports
 * evidence for.
 */
import type { MetricStatus, ReportMetric } from '../../../../shared/report';
import { Badge } from '../../components/Badge';
import { CircleCheck, Info, ShieldAlert, TriangleAlert, type LucideIcon } from '../../components/icons';
import { controlName, STATUS_TONES, STATUS_WORDS } from './report-words';

const STATUS_ICONS: Record<MetricStatus, LucideIcon> = { good: CircleCheck, attention: TriangleAlert, bad: ShieldAlert, info: Info };

/** The card's edge in the status colour (a second cue beside the badge's word). */
const EDGES: Record<MetricStatus, string> = { good: 'border-l-ok-text', attention: 'border-l-warn-text', bad: 'border-l-danger', info: 'border-l-accent' };

export function MetricCard({ metric: m }: { metric: ReportMetric }) {
  const Icon = STATUS_ICONS[m.status];
  const titleId = `metric-${m.id}`;
  return (
    <li className={`flex min-w-0 break-inside-avoid flex-col rounded-xl border border-l-4 border-line bg-surface p-4 shadow-xs ${EDGES[m.status]}`}>
      <article aria-labelledby={titleId} className="flex flex-1 flex-col">
        <div className="flex items-start justify-between gap-3">
          <h3 id={titleId} className="text-[13px] font-semibold text-muted">
            {m.title}
          </h3>
          <Badge tone={STATUS_TONES[m.status]}>
            <Icon size={12} aria-hidden="true" />
            {STATUS_WORDS[m.status]}
          </Badge>
        </div>
        <p className="mt-1 text-2xl font-semibold tabular-nums [overflow-wrap:anywhere]">{m.value}</p>
        <p className="mt-1 text-[13px] text-muted [overflow-wrap:anywhere]">{m.detail}</p>
        {m.controls.length > 0 ? (
          <div className="mt-3 border-t border-line pt-2">
            <p id={`${titleId}-controls`} className="text-[11px] font-medium tracking-wide text-faint uppercase">
              Supports evidence for
            </p>
            <ul aria-labelledby={`${titleId}-controls`} className="mt-1 space-y-0.5 text-xs">
              {m.controls.map((c) => (
                <li key={`${c.framework}/${c.id}`} className="[overflow-wrap:anywhere]">
                  <span className="font-medium whitespace-nowrap">{controlName(c)}</span> <span className="text-muted">{c.title}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </article>
    </li>
  );
}
