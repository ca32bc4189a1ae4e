/** Severity and status as badges: a colour and always the word (colour alone says nothing to many people). */
import type { IncidentStatus, Severity } from '../../../../shared/incidents';
import { Badge } from '../../components/Badge';
import { SEVERITY_LABELS, SEVERITY_TONES, STATUS_LABELS, STATUS_TONES } from './incident-words';

export function SeverityBadge({ severity, className = '' }: { severity: Severity; className?: string }) {
  const label = SEVERITY_LABELS[severity];
  // Critical is drawn solid, so it stands apart from high beyond its word.
  if (severity === 'critical')
    return (
      <span className={`inline-flex h-5 shrink-0 items-center rounded-md bg-danger px-1.5 text-[11px] font-semibold whitespace-nowrap text-white ${className}`}>
        <span className="sr-only">Severity: </span>
        {label}
      </span>
    );
  return (
    <Badge tone={SEVERITY_TONES[severity]} className={className}>
      <span className="sr-only">Severity: </span>
      {label}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: IncidentStatus }) {
  return (
    <Badge tone={STATUS_TONES[status]}>
      <span className="sr-only">Status: </span>
      {STATUS_LABELS[status]}
    </Badge>
  );
}
