/**
 * The Usage view of the Audit screen (`audit.usage`, the same figures as
 * `keyward usage`): value reads per day for 30 days, the credentials read
 * most, reads by actor, and the credentials never read. Read when the view
 * opens and on Refresh only: each read of the trail is itself recorded.
 */
import { useId, useState } from 'react';
import type { UsageView } from '../../../../shared/ipc/contract';
import { BarList } from '../../components/charts/BarList';
import { ColumnChart } from '../../components/charts/ColumnChart';
import { Button } from '../../components/Button';
import { LoadError, Loading } from '../../components/LoadState';
import { RefreshCw } from '../../components/icons';
import { useRead } from '../../lib/use-read';
import { formatCount, formatDate, formatDateTime, plural } from '../../lib/format';
import { barLength } from '../../components/charts/chart-scale';
import { actorFigures, dayLabel, dayOfMonth, readsPerDaySummary } from './audit-words';

/** Credentials in the "most read" table. */
const TOP = 10;
/** Never-used credentials listed before "Show more", and how many more each press shows. */
const NEVER_USED_SHOWN = 12;
const NEVER_USED_STEP = 100;

export function UsagePanel() {
  const { value: usage, error, loading, reload: load } = useRead('audit.usage', {});

  return (
    <div className="pb-40">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted">
          {usage?.since ? `Value reads (reveals and copies) recorded since the trail began on ${formatDate(usage.since)}.` : 'Value reads (reveals and copies) as the audit trail records them.'}
        </p>
        <Button size="sm" icon={RefreshCw} busy={loading && usage !== null} onClick={() => void load()}>
          Refresh
        </Button>
      </div>

      {error ? (
        <LoadError>Usage could not be read: {error.message}</LoadError>
      ) : null}

      {usage === null ? (
        error ? null : (
          <Loading label="Reading usage" />
        )
      ) : (
        <UsageCharts usage={usage} />
      )}
    </div>
  );
}

function UsageCharts({ usage }: { usage: UsageView }) {
  const reads30 = usage.readsPerDay.reduce((n, d) => n + d.reads, 0);
  return (
    <div className="mt-4 space-y-4">
      <dl aria-label="Usage in figures" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Figure term="Value reads, last 30 days" value={formatCount(reads30)} />
        <Figure term="Credentials used" value={formatCount(usage.credentials.length)} />
        <Figure term="Never used" value={formatCount(usage.neverUsed.length)} />
        <Figure term="Actors" value={formatCount(usage.actors.length)} />
      </dl>

      <ColumnChart
        title="Value reads per day, last 30 days"
        summary={`${readsPerDaySummary(usage.readsPerDay)} Days are UTC.`}
        columns={usage.readsPerDay.map((d) => ({ key: d.day, label: dayLabel(d.day), axisLabel: dayOfMonth(d.day), value: d.reads }))}
        valueText={(n) => plural(n, 'read')}
        labelHeading="Day (UTC)"
        valueHeading="Value reads"
        axisLabelWidth={26}
      />

      <div className="grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <TopCredentials credentials={usage.credentials} />
        <BarList
          title="Reads by actor"
          note="Value reads of credentials still in the vault; operations counts everything each actor did."
          empty="No actor has used this vault yet."
          items={usage.actors.map((a) => ({ key: a.actor, label: a.actor, value: a.reads, valueText: actorFigures(a) }))}
        />
      </div>

      <NeverUsed credentials={usage.neverUsed} />
    </div>
  );
}

function Figure({ term, value }: { term: string; value: string }) {
  return (
    <div className="rounded-xl border border-line bg-surface px-4 py-3 shadow-xs">
      <dt className="text-xs text-muted">{term}</dt>
      <dd className="mt-0.5 text-xl font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

function TopCredentials({ credentials }: { credentials: UsageView['credentials'] }) {
  const id = useId();
  const shown = credentials.slice(0, TOP);
  const top = Math.max(1, ...shown.map((c) => c.reads));
  return (
    <section aria-labelledby={id} className="min-w-0 rounded-xl border border-line bg-surface p-4 shadow-xs">
      <h2 id={id} className="text-[13px] font-semibold">
        Most read credentials
      </h2>
      <p className="mt-0.5 text-xs text-muted">{credentials.length > TOP ? `The ${TOP} of ${formatCount(credentials.length)} used credentials read most.` : 'Every credential whose value was read, most read first.'}</p>
      {shown.length === 0 ? (
        <p className="mt-3 text-sm text-muted">No value has been read yet.</p>
      ) : (
        <div className="mt-2 overflow-x-auto">
          <table className="w-full min-w-[26rem] text-left text-[13px]">
            <caption className="sr-only">Most read credentials, with their reads and when each was last used</caption>
            <thead className="text-xs text-muted">
              <tr>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Credential
                </th>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Reads
                </th>
                <th scope="col" className="py-1.5 pr-3 text-right font-medium">
                  7 days
                </th>
                <th scope="col" className="py-1.5 pr-3 text-right font-medium">
                  30 days
                </th>
                <th scope="col" className="py-1.5 font-medium">
                  Last used
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => (
                <tr key={c.id} className="border-t border-line/60">
                  <th scope="row" className="max-w-[12rem] truncate py-1.5 pr-3 font-medium" title={c.name}>
                    {c.name}
                  </th>
                  <td className="py-1.5 pr-3">
                    <span className="flex items-center gap-2">
                      <svg viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" className="h-2 w-16 shrink-0">
                        <rect width={100} height={8} rx={2} className="fill-subtle" />
                        <rect width={barLength(c.reads, top, 100, 3)} height={8} rx={2} className="fill-accent" />
                      </svg>
                      <span className="tabular-nums">{formatCount(c.reads)}</span>
                    </span>
                  </td>
                  <td className="py-1.5 pr-3 text-right tabular-nums">{formatCount(c.reads7d)}</td>
                  <td className="py-1.5 pr-3 text-right tabular-nums">{formatCount(c.reads30d)}</td>
                  <td className="py-1.5 whitespace-nowrap text-muted">
                    {c.lastUsedAt ? <time dateTime={c.lastUsedAt}>{formatDateTime(c.lastUsedAt)}</time> : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function NeverUsed({ credentials }: { credentials: UsageView['neverUsed'] }) {
  const id = useId();
  const [shown, setShown] = useState(NEVER_USED_SHOWN);
  const names = [...credentials].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section aria-labelledby={id} className="rounded-xl border border-line bg-surface p-4 shadow-xs">
      <h2 id={id} className="text-[13px] font-semibold">
        Never used: {formatCount(credentials.length)}
      </h2>
      <p className="mt-0.5 text-xs text-muted">
        {credentials.length === 0
          ? 'Every credential’s value has been read at least once.'
          : 'No value of these was read since the trail began. Keep only what is needed: remove or deactivate the rest.'}
      </p>
      {credentials.length > 0 ? (
        <>
          <ul aria-label="Credentials never used" className="mt-2 grid gap-x-6 text-[13px] sm:grid-cols-2 xl:grid-cols-3">
            {names.slice(0, shown).map((c) => (
              <li key={c.id} className="flex min-w-0 items-baseline justify-between gap-3 border-t border-line/60 py-1.5">
                <span className="truncate" title={c.name}>
                  {c.name}
                </span>
                <span className="shrink-0 text-xs text-muted">added {formatDate(c.createdAt)}</span>
              </li>
            ))}
          </ul>
          {credentials.length > shown ? (
            <Button size="sm" variant="ghost" className="mt-1" onClick={() => setShown((n) => n + NEVER_USED_STEP)}>
              Show {formatCount(Math.min(NEVER_USED_STEP, credentials.length - shown))} more of {formatCount(credentials.length - shown)}
            </Button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
