/**
 * Vault health: the score, the strength distribution of passwords, the
 * findings by kind, and every credential with findings, riskiest first, each
 * finding with its fix and a button that opens the right dialog.
 */
import { useState } from 'react';
import type { CredentialTypeId } from '../../../../shared/credential-types/index';
import { FINDING_KINDS, type CredentialReport, type Finding } from '../../../../shared/analysis/findings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Ban, LoaderCircle, Pencil, RotateCw, ShieldCheck, Tag, TypeIcon } from '../../components/icons';
import { formatDateTime, plural, typeLabel } from '../../lib/format';
import { SCORE_LABELS } from '../../lib/strength';
import { useStore } from '../../store';
import { BarChart, ScoreRing, type Bar } from './charts';
import { ACTION_LABELS, KIND_LABELS, riskTone, scoreWord, SEVERITY_LABELS, SEVERITY_TONES } from './labels';

const STRENGTH_COLOURS = ['bg-red-500', 'bg-orange-500', 'bg-amber-400', 'bg-lime-500', 'bg-emerald-500'] as const;
const SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3 } as const;
const ACTION_ICONS = { rotate: RotateCw, edit: Pencil, deactivate: Ban, retag: Tag } as const;

export function HealthScreen() {
  const health = useStore((s) => s.health);

  if (!health)
    return (
      <div className="flex h-full items-center justify-center" aria-busy="true">
        <LoaderCircle size={22} className="animate-spin text-faint" aria-label="Analysing the vault" />
      </div>
    );

  const withFindings = health.reports.filter((r) => r.findings.length > 0);
  const strengthBars: Bar[] = health.strengthDistribution.map((n, i) => ({ key: String(i), label: `${i} · ${SCORE_LABELS[i]}`, value: n, colour: STRENGTH_COLOURS[i]! }));
  const kindBars: Bar[] = FINDING_KINDS.filter((k) => (health.counts[k] ?? 0) > 0)
    .map((k) => ({ key: k, label: KIND_LABELS[k], value: health.counts[k] ?? 0, colour: 'bg-accent' }))
    .sort((a, b) => b.value - a.value);
  const passwords = health.strengthDistribution.reduce((a, b) => a + b, 0);

  return (
    <div className="mx-auto max-w-5xl px-8 py-7">
      <h1 className="text-xl font-semibold">Vault health</h1>
      <p className="mt-1 text-sm text-muted">
        Analysed {formatDateTime(health.analysedAt)} · {plural(health.credentialCount, 'credential')}. Values are checked inside Keyward and never leave it.
      </p>

      <div className="mt-5 grid grid-cols-[auto_1fr_1fr] gap-4 max-lg:grid-cols-2">
        <section aria-label="Health score" className="flex flex-col items-center justify-center gap-2 rounded-xl border border-line bg-surface px-6 py-4 shadow-xs max-lg:col-span-2 max-lg:flex-row max-lg:gap-6">
          <ScoreRing score={health.score} />
          <div className="text-center max-lg:text-left">
            <p className="text-sm font-semibold">{scoreWord(health.score)}</p>
            <p className="text-xs text-muted">{withFindings.length === 0 ? 'No findings' : `${plural(withFindings.length, 'credential')} to look at`}</p>
          </div>
        </section>
        <BarChart title="Password strength" note={`${plural(passwords, 'password')}, by estimator score`} bars={strengthBars} />
        <BarChart title="Findings by kind" bars={kindBars} empty="No findings." />
      </div>

      <h2 className="mt-8 text-base font-semibold">Findings by risk</h2>
      {withFindings.length === 0 ? (
        <div className="mt-3 flex flex-col items-center rounded-xl border border-dashed border-line-strong bg-surface px-6 py-10 text-center">
          <ShieldCheck size={32} className="text-ok-text" aria-hidden="true" />
          <p className="mt-3 font-medium">Nothing to fix</p>
          <p className="mt-1 text-sm text-muted">No weak, reused, malformed, stale or expiring credentials were found.</p>
        </div>
      ) : (
        <ol aria-label="Findings by risk" className="mt-3 space-y-3">
          {withFindings.map((r) => (
            <ReportCard key={r.id} report={r} />
          ))}
        </ol>
      )}
    </div>
  );
}

function ReportCard({ report: r }: { report: CredentialReport }) {
  const findings = r.findings.slice().sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return (
    <li aria-label={r.name} className="overflow-hidden rounded-xl border border-line bg-surface shadow-xs">
      <div className="flex items-center gap-3 border-b border-line px-4 py-2.5">
        <TypeIcon type={r.type as CredentialTypeId} size={16} className="shrink-0 text-muted" />
        <div className="min-w-0 flex-1">
          <h3 className="truncate font-medium" title={r.name}>
            {r.name}
          </h3>
          <p className="truncate text-xs text-muted">{[typeLabel(r.type as CredentialTypeId), r.provider].filter(Boolean).join(' · ')}</p>
        </div>
        {!r.active ? <Badge>Inactive</Badge> : null}
        <Badge tone={riskTone(r.risk)} className="h-6 px-2 text-xs">
          <span data-testid="risk">Risk {r.risk}</span>
        </Badge>
      </div>
      <ul className="divide-y divide-line">
        {findings.map((f, i) => (
          <FindingRow key={`${f.kind}-${i}`} report={r} finding={f} />
        ))}
      </ul>
    </li>
  );
}

function FindingRow({ report, finding: f }: { report: CredentialReport; finding: Finding }) {
  const openDialog = useStore((s) => s.openDialog);
  const setActive = useStore((s) => s.setActive);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [busy, setBusy] = useState(false);

  const act = async () => {
    if (f.action === 'rotate') return openDialog({ kind: 'rotate', id: report.id });
    if (f.action === 'edit' || f.action === 'retag') return openDialog({ kind: 'edit', id: report.id });
    setBusy(true);
    const r = await setActive(report.id, false);
    setBusy(false);
    if (r.ok) toast('success', 'Credential deactivated.');
    else toastError(r.error);
  };
  const hideAction = f.action === 'deactivate' && !report.active;

  return (
    <li className="flex items-start gap-3 px-4 py-3">
      <Badge tone={SEVERITY_TONES[f.severity]} className="mt-0.5 w-16 justify-center">
        {SEVERITY_LABELS[f.severity]}
      </Badge>
      <div className="min-w-0 flex-1 text-sm">
        <p className="[overflow-wrap:anywhere]">
          <span className="font-medium">{KIND_LABELS[f.kind]}:</span> {f.message}
        </p>
        <p className="mt-0.5 text-xs text-muted [overflow-wrap:anywhere]">{f.fix}</p>
      </div>
      {hideAction ? null : (
        <Button size="sm" icon={ACTION_ICONS[f.action]} busy={busy} onClick={() => void act()}>
          {ACTION_LABELS[f.action]}
        </Button>
      )}
    </li>
  );
}
