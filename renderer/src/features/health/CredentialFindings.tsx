/**
 * The detail panel's "Findings" card: why a credential carries its badges,
 * each finding with its fix, from the same report Health shows. The
 * health check decrypts every value in main, so it is not started by selecting a
 * credential: until the person has asked for it, the card offers to run it.
 */
import { useMemo } from 'react';
import type { CredentialReport, VaultHealth } from '../../../../shared/health/findings';
import { worstFirst } from '../../../../shared/health/vocabulary';
import { Button } from '../../components/Button';
import { ShieldCheck } from '../../components/icons';
import { useStore } from '../../store';
import { FindingRow } from './FindingRow';

const byId = new WeakMap<VaultHealth, Map<string, CredentialReport>>();

/** The credential's report from the latest health check, looked up in O(1) (10k reports). */
export function useReport(id: string): { health: VaultHealth | null; report: CredentialReport | null } {
  const health = useStore((s) => s.health);
  const report = useMemo(() => {
    if (!health) return null;
    let map = byId.get(health);
    if (!map) {
      map = new Map(health.reports.map((r) => [r.id, r]));
      byId.set(health, map);
    }
    return map.get(id) ?? null;
  }, [health, id]);
  return { health, report };
}

export function CredentialFindings({ id, active }: { id: string; active: boolean }) {
  const { health, report } = useReport(id);
  const healthWanted = useStore((s) => s.healthWanted);
  const loadHealth = useStore((s) => s.loadHealth);
  const findings = report ? worstFirst(report.findings) : [];

  return (
    <section aria-label="Findings" className="mt-5 overflow-hidden rounded-xl border border-line bg-surface shadow-xs">
      <div className="flex items-center gap-2 border-b border-line px-4 py-2.5">
        <h3 className="text-[13px] font-semibold text-muted">Findings</h3>
        {report && findings.length > 0 ? <span className="text-xs text-muted">· risk {report.risk} of 100</span> : null}
      </div>
      {!health ? (
        <div className="flex items-center gap-3 px-4 py-3 text-sm">
          <p className="flex-1 text-muted">{healthWanted ? 'Analysing the vault…' : 'Not checked yet. The check reads every value inside Keyward; nothing leaves it.'}</p>
          {healthWanted ? null : (
            <Button size="sm" onClick={() => void loadHealth()}>
              Check now
            </Button>
          )}
        </div>
      ) : !report ? (
        <p className="px-4 py-3 text-sm text-muted">Not analysed yet: Health is updating.</p>
      ) : findings.length === 0 ? (
        <p className="flex items-center gap-2 px-4 py-3 text-sm text-muted">
          <ShieldCheck size={16} className="text-ok-text" aria-hidden="true" />
          No findings: nothing weak, reused, malformed, stale or expiring.
        </p>
      ) : (
        <ul aria-label="Findings for this credential" className="divide-y divide-line">
          {findings.map((f, i) => (
            <FindingRow key={`${f.kind}-${i}`} credential={{ id, active }} finding={f} />
          ))}
        </ul>
      )}
    </section>
  );
}
