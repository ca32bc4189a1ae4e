/**
 * The security dashboard (`report.security`, the figures `keyward report`
 * writes as HTML): each metric as a card with the controls it supports
 * evidence for, the password strength distribution, the policy in force and
 * the vault's facts — evidence, never a certification. Read when the screen
 * opens and on Refresh only (the read is recorded in the audit trail); Print
 * / Save as PDF prints the page without the app around it.
 */
import type { SecurityReport } from '../../../../shared/report';
import { ColumnChart } from '../../components/charts/ColumnChart';
import { Button } from '../../components/Button';
import { LoadError, Loading } from '../../components/LoadState';
import { Info, Printer, RefreshCw } from '../../components/icons';
import { useRead } from '../../lib/use-read';
import { formatDateTime, plural } from '../../lib/format';
import { MetricCard } from './MetricCard';
import { DISCLAIMER, statusSummary, strengthColumns, strengthSummary, vaultFacts } from './report-words';

export function DashboardScreen() {
  const { value: report, error, loading, reload: load } = useRead('report.security', {});

  return (
    <div className="mx-auto max-w-6xl px-8 pt-7 pb-40 print:max-w-none print:px-0 print:pt-0 print:pb-0">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="min-w-0">
          <h1 className="text-xl font-semibold">Security dashboard</h1>
          <p className="mt-1 text-sm text-muted">
            {report ? `${plural(report.vault.credentialCount, 'credential')} · figures as of ${formatDateTime(report.generatedAt)}` : 'The vault’s security metrics, each with the controls it supports evidence for.'}
          </p>
        </div>
        <div className="flex items-center gap-2 print:hidden">
          <Button icon={RefreshCw} busy={loading && report !== null} onClick={() => void load()}>
            Refresh
          </Button>
          <Button icon={Printer} disabled={!report} onClick={() => window.print()}>
            Print / Save as PDF
          </Button>
        </div>
      </div>

      <p className="mt-4 flex items-start gap-2 rounded-lg border border-line bg-surface px-4 py-3 text-[13px] text-muted">
        <Info size={16} className="mt-0.5 shrink-0 text-accent-text" aria-hidden="true" />
        <span>{DISCLAIMER}</span>
      </p>

      {error ? (
        <LoadError onRetry={() => void load()}>The security report could not be made: {error.message}</LoadError>
      ) : null}

      {report === null ? (
        error ? null : (
          <Loading label="Making the security report" />
        )
      ) : (
        <Report report={report} />
      )}
    </div>
  );
}

function Report({ report }: { report: SecurityReport }) {
  return (
    <>
      <section aria-labelledby="dashboard-metrics" className="mt-6">
        <div className="flex flex-wrap items-baseline justify-between gap-x-4">
          <h2 id="dashboard-metrics" className="text-sm font-semibold">
            Metrics
          </h2>
          <p data-testid="dashboard-summary" className="text-xs text-muted">
            {statusSummary(report.metrics)}
          </p>
        </div>
        <ul aria-labelledby="dashboard-metrics" className="mt-2 grid gap-3 sm:grid-cols-2 xl:grid-cols-3 print:grid-cols-2">
          {report.metrics.map((m) => (
            <MetricCard key={m.id} metric={m} />
          ))}
        </ul>
      </section>

      <div className="mt-6 grid items-start gap-4 lg:grid-cols-2 print:grid-cols-2">
        <div className="min-w-0 space-y-4">
          <ColumnChart
            title="Password strength distribution"
            summary={strengthSummary(report.strengthDistribution)}
            columns={strengthColumns(report.strengthDistribution)}
            valueText={(n) => plural(n, 'password')}
            labelHeading="Score"
            valueHeading="Passwords"
            axisLabelWidth={72}
            className="break-inside-avoid"
          />
          <section aria-labelledby="dashboard-vault" className="break-inside-avoid rounded-xl border border-line bg-surface p-4 shadow-xs">
            <h2 id="dashboard-vault" className="text-[13px] font-semibold">
              The vault
            </h2>
            <dl className="mt-2 grid grid-cols-2 gap-x-6 gap-y-2 text-[13px]">
              {vaultFacts(report.vault).map((f) => (
                <div key={f.term} className="min-w-0">
                  <dt className="text-xs text-muted">{f.term}</dt>
                  <dd className="tabular-nums [overflow-wrap:anywhere]">{f.value}</dd>
                </div>
              ))}
            </dl>
          </section>
        </div>
        <section aria-labelledby="dashboard-policy" className="min-w-0 break-inside-avoid rounded-xl border border-line bg-surface p-4 shadow-xs">
          <h2 id="dashboard-policy" className="text-[13px] font-semibold">
            Policy in force
          </h2>
          <table className="mt-2 w-full text-left text-[13px]">
            <caption className="sr-only">Policy in force</caption>
            <tbody>
              {report.policy.map((p) => (
                <tr key={p.name} className="border-t border-line/60 first:border-0">
                  <th scope="row" className="py-1.5 pr-4 align-top font-normal text-muted">
                    {p.name}
                  </th>
                  <td className="py-1.5 align-top [overflow-wrap:anywhere]">{p.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      <p className="mt-4 text-xs text-faint">
        Generated {formatDateTime(report.generatedAt)}. The same figures as a file: <code className="font-mono">keyward report --out report.html</code>.
      </p>
    </>
  );
}
