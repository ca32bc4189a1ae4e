/**
 * Vault health: the score with its word and the reason for it, the strength
 * distribution of passwords, the findings by kind, names that look the same,
 * and the credentials with findings, riskiest first, each finding with its
 * fix. At 10,000 credentials thousands may have findings, so the list shows
 * one page at a time (a count says how many are left) and can be narrowed to
 * one kind of finding: the screen costs the same at 10k as at 10.
 */
import { useId, useMemo, useState } from 'react';
import type { CredentialTypeId } from '../../../../shared/credential-types/index';
import { FINDING_KINDS, type CredentialReport, type FindingKind, type VaultHealth } from '../../../../shared/health/findings';
import { worstFirst } from '../../../../shared/health/vocabulary';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { LoaderCircle, ShieldCheck, TypeIcon } from '../../components/icons';
import { formatDateTime, plural, typeLabel } from '../../lib/format';
import { SCORE_LABELS } from '../../lib/strength';
import { useStore } from '../../store';
import { BarChart, ScoreRing, type Bar } from './charts';
import { FindingRow } from './FindingRow';
import { KIND_LABELS, riskTone } from './labels';

const STRENGTH_COLOURS = ['bg-red-500', 'bg-orange-500', 'bg-amber-400', 'bg-lime-500', 'bg-emerald-500'] as const;
/** Cards per page: enough to work through, few enough to paint at once. */
export const HEALTH_PAGE_SIZE = 25;
const CONFUSABLE_PAGE_SIZE = 10;

export function HealthScreen() {
  const health = useStore((s) => s.health);

  if (!health)
    return (
      <div className="flex h-full items-center justify-center" aria-busy="true">
        <LoaderCircle size={22} className="animate-spin text-faint" aria-label="Analysing the vault" />
      </div>
    );
  return <HealthReport health={health} />;
}

function HealthReport({ health }: { health: VaultHealth }) {
  const withFindings = useMemo(() => health.reports.filter((r) => r.findings.length > 0), [health]);
  const strengthBars: Bar[] = health.strengthDistribution.map((n, i) => ({ key: String(i), label: `${i} · ${SCORE_LABELS[i]}`, value: n, colour: STRENGTH_COLOURS[i]! }));
  const kindBars: Bar[] = FINDING_KINDS.filter((k) => (health.counts[k] ?? 0) > 0)
    .map((k) => ({ key: k, label: KIND_LABELS[k], value: health.counts[k] ?? 0, colour: 'bg-accent' }))
    .sort((a, b) => b.value - a.value);
  const passwords = health.strengthDistribution.reduce((a, b) => a + b, 0);
  const { verdict } = health;

  return (
    <div className="mx-auto max-w-5xl px-8 py-7">
      <h1 className="text-xl font-semibold">Vault health</h1>
      <p className="mt-1 text-sm text-muted">
        Analysed {formatDateTime(health.analysedAt)} · {plural(health.credentialCount, 'credential')}. Values are checked inside Keyward and never leave it.
      </p>

      <div className="mt-5 grid grid-cols-[auto_1fr_1fr] gap-4 max-lg:grid-cols-2">
        <section aria-label="Health score" className="flex max-w-72 flex-col items-center justify-center gap-2 rounded-xl border border-line bg-surface px-6 py-4 shadow-xs max-lg:col-span-2 max-lg:max-w-none max-lg:flex-row max-lg:gap-6">
          <ScoreRing score={health.score} />
          <div className="text-center max-lg:text-left">
            <p data-testid="health-verdict" className="text-sm font-semibold">
              {verdict.label}
            </p>
            <p className="text-xs text-muted">{verdict.toLookAt === 0 ? 'No findings' : `${plural(verdict.toLookAt, 'credential')} to look at`}</p>
            <p data-testid="health-explanation" className="mt-1.5 text-xs text-muted">
              {verdict.explanation}
            </p>
          </div>
        </section>
        <BarChart title="Password strength" note={`${plural(passwords, 'password')}, by estimator score`} bars={strengthBars} />
        <BarChart title="Findings by kind" bars={kindBars} empty="No findings." />
      </div>

      {health.confusableNames.length > 0 ? <ConfusableNamesSection groups={health.confusableNames} /> : null}

      <h2 className="mt-8 text-base font-semibold">Findings by risk</h2>
      {withFindings.length === 0 ? (
        <div className="mt-3 flex flex-col items-center rounded-xl border border-dashed border-line-strong bg-surface px-6 py-10 text-center">
          <ShieldCheck size={32} className="text-ok-text" aria-hidden="true" />
          <p className="mt-3 font-medium">Nothing to fix</p>
          <p className="mt-1 text-sm text-muted">No weak, reused, malformed, stale or expiring credentials were found.</p>
        </div>
      ) : (
        <FindingsByRisk reports={withFindings} kinds={kindBars.map((b) => b.key as FindingKind)} counts={health.counts} />
      )}
    </div>
  );
}

function FindingsByRisk({ reports, kinds, counts }: { reports: CredentialReport[]; kinds: FindingKind[]; counts: VaultHealth['counts'] }) {
  const selectId = useId();
  const [kind, setKind] = useState<FindingKind | 'all'>('all');
  const [shown, setShown] = useState(HEALTH_PAGE_SIZE);
  const matching = useMemo(() => (kind === 'all' ? reports : reports.filter((r) => r.findings.some((f) => f.kind === kind))), [reports, kind]);
  const page = matching.slice(0, shown);
  const left = matching.length - page.length;

  return (
    <>
      <div className="mt-2 flex flex-wrap items-center gap-3 text-sm">
        <span className="flex items-center gap-2">
          <label htmlFor={selectId} className="text-muted">
            Show
          </label>
          <select
            id={selectId}
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as FindingKind | 'all');
              setShown(HEALTH_PAGE_SIZE);
            }}
            className="h-8 rounded-lg border border-line-strong bg-surface px-2 text-sm"
          >
            <option value="all">Every finding ({reports.length.toLocaleString()} credentials)</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]} ({(counts[k] ?? 0).toLocaleString()})
              </option>
            ))}
          </select>
        </span>
        <p role="status" className="text-muted">
          Showing {page.length.toLocaleString()} of {plural(matching.length, 'credential')}
        </p>
      </div>
      <ol aria-label="Findings by risk" className="mt-3 space-y-3">
        {page.map((r) => (
          <ReportCard key={r.id} report={r} />
        ))}
      </ol>
      {left > 0 ? (
        <div className="mt-4 flex justify-center">
          <Button onClick={() => setShown((n) => n + HEALTH_PAGE_SIZE)}>
            Show {Math.min(HEALTH_PAGE_SIZE, left)} more ({left.toLocaleString()} left)
          </Button>
        </div>
      ) : null}
    </>
  );
}

/** Opens a credential in the vault list and its detail panel. */
function useOpenInVault(): (id: string) => void {
  const select = useStore((s) => s.select);
  const setScreen = useStore((s) => s.setScreen);
  return (id) => {
    select(id);
    setScreen('vault');
  };
}

function CredentialLink({ id, name, className = '' }: { id: string; name: string; className?: string }) {
  const open = useOpenInVault();
  return (
    <button type="button" onClick={() => open(id)} title={name} className={`max-w-full truncate text-left underline-offset-2 hover:underline focus-visible:underline ${className}`}>
      {name}
      <span className="sr-only"> — open in the vault</span>
    </button>
  );
}

const ReportCard = function ReportCard({ report: r }: { report: CredentialReport }) {
  const findings = worstFirst(r.findings);
  return (
    <li aria-label={r.name} className="overflow-hidden rounded-xl border border-line bg-surface shadow-xs">
      <div className="flex items-center gap-3 border-b border-line px-4 py-2.5">
        <TypeIcon type={r.type as CredentialTypeId} size={16} className="shrink-0 text-muted" />
        <div className="min-w-0 flex-1">
          <h3 className="flex min-w-0 font-medium">
            <CredentialLink id={r.id} name={r.name} />
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
          <FindingRow key={`${f.kind}-${i}`} credential={r} finding={f} />
        ))}
      </ul>
    </li>
  );
};

function ConfusableNamesSection({ groups }: { groups: VaultHealth['confusableNames'] }) {
  const [shown, setShown] = useState(CONFUSABLE_PAGE_SIZE);
  const left = groups.length - Math.min(shown, groups.length);
  return (
    <section aria-labelledby="confusable-names" className="mt-8">
      <h2 id="confusable-names" className="text-base font-semibold">
        Names that look the same
      </h2>
      <p className="mt-1 text-sm text-muted">
        These names differ only in case or surrounding spaces, so they are easy to mix up. Rename all but one (Edit).
      </p>
      <ul aria-label="Names that look the same" className="mt-3 divide-y divide-line overflow-hidden rounded-xl border border-line bg-surface shadow-xs">
        {groups.slice(0, shown).map((g) => (
          <li key={g.credentials[0]!.id} aria-label={`${g.credentials.length} names like “${g.credentials[0]!.name.trim()}”`} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2.5 text-sm">
            {g.credentials.map((c, i) => (
              <span key={c.id} className="flex min-w-0 items-center gap-3">
                {i > 0 ? (
                  <span aria-hidden="true" className="text-muted">
                    ≈
                  </span>
                ) : null}
                {/* Quoted with spaces made visible: the difference is often only there. */}
                <CredentialLink id={c.id} name={`“${c.name.replace(/ /g, '\u00a0')}”`} className="font-mono text-[13px] whitespace-pre" />
              </span>
            ))}
          </li>
        ))}
      </ul>
      {left > 0 ? (
        <div className="mt-3 flex justify-center">
          <Button onClick={() => setShown((n) => n + CONFUSABLE_PAGE_SIZE)}>Show {Math.min(CONFUSABLE_PAGE_SIZE, left)} more ({left.toLocaleString()} left)</Button>
        </div>
      ) : null}
    </section>
  );
}
