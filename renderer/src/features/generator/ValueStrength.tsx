/**
 * What the add and rotate forms say about the value being typed, before it
 * is saved: main analyses it (analysis.checkValue) by the rules it applies to
 * every stored value, so the form reports what `keyward check` and Health
 * would report afterwards — a malformed GitHub token is "Invalid format",
 * never "Very strong". Passwords get the onboarding meter's wording; other
 * secrets an entropy line, since "crack time" means little for a random key.
 * A finding caps the meter: a value with a problem is never shown as strong.
 */
import { useEffect, useState } from 'react';
import type { Finding, FindingKind, Severity, ValueCheck, ValueCheckRequest } from '../../../../shared/health/findings';
import type { CredentialTypeId } from '../../../../shared/credential-types/index';
import { worstFirst, worstSeverity } from '../../../../shared/health/vocabulary';
import { Badge } from '../../components/Badge';
import { call } from '../../lib/api';
import { fromEstimate, SCORE_LABELS } from '../../lib/strength';
import { StrengthMeter } from '../onboarding/PasswordStrength';
import { KIND_LABELS, SEVERITY_LABELS, SEVERITY_TONES } from '../health/labels';
import { ScoreBars } from './ScoreBars';

const DEBOUNCE_MS = 150;
type Score = 0 | 1 | 2 | 3 | 4;
/** The most a value with a finding this severe can score on the meter. */
const CAP: Record<Severity, Score> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Bits of randomness → 0–4 for a machine secret (Health asks for at least 64 bits). */
export function secretScore(bits: number, findings: readonly Finding[]): Score {
  const byBits: Score = bits < 28 ? 0 : bits < 48 ? 1 : bits < 64 ? 2 : bits < 96 ? 3 : 4;
  const worst = worstSeverity(findings);
  return worst ? (Math.min(byBits, CAP[worst]) as Score) : byBits;
}

export interface ValueStrengthProps {
  id: string;
  value: string;
  password: boolean;
  /** Rotating: the credential whose type, provider, name and tags main uses. */
  credentialId?: string;
  /** Adding: what the form says the value is. */
  type?: CredentialTypeId;
  provider?: string;
  name?: string;
  tags?: string[];
  /** Findings the field already states in its own words (see value-hint.ts): not repeated in the list. */
  stated?: readonly FindingKind[];
}

function useValueCheck(request: ValueCheckRequest | null): { check: ValueCheck | null; loading: boolean } {
  const [check, setCheck] = useState<ValueCheck | null>(null);
  const [loading, setLoading] = useState(false);
  const key = request ? JSON.stringify(request) : '';
  useEffect(() => {
    if (!request) {
      setCheck(null);
      setLoading(false);
      return;
    }
    let cancelled = false;
    setLoading(true);
    const timer = setTimeout(() => {
      void call('analysis.checkValue', request).then((r) => {
        if (cancelled) return;
        setCheck(r.ok ? r.value : null);
        setLoading(false);
      });
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // Keyed by content: the form builds a new request object on every render, which must not ask again.
  }, [key]);
  return { check, loading };
}

export function ValueStrength({ id, value, password, credentialId, type, provider, name, tags, stated = [] }: ValueStrengthProps) {
  const request: ValueCheckRequest | null = value
    ? credentialId
      ? { value, id: credentialId }
      : { value, type: type ?? (password ? 'password' : 'secret'), provider: provider ?? '', name: name ?? '', tags: tags ?? [] }
    : null;
  const { check, loading } = useValueCheck(request);
  if (!value) return null;
  // For a password the meter already says how weak it is; the list adds what it does not (policy, placeholder…).
  const findings = check ? worstFirst(check.findings.filter((f) => !(password && f.kind === 'weak_password') && !stated.includes(f.kind))) : [];

  if (password) {
    const strength = check?.strength ? fromEstimate(check.strength) : null;
    return (
      <>
        <StrengthMeter id={id} strength={strength} loading={loading || (!check && !strength)} empty={false} />
        <ValueFindings findings={findings} />
      </>
    );
  }
  const score = check ? secretScore(check.entropyBits, findings) : null;
  return (
    <div id={id} className="mt-2.5" aria-live="polite">
      <ScoreBars score={score} label="Estimated strength" />
      <p className="mt-2 min-h-5 text-xs">
        {check && score !== null ? (
          <>
            <span className="font-semibold">About {Math.round(check.entropyBits)} bits of randomness</span>
            <span className="text-muted">
              {' '}
              · {SCORE_LABELS[score]} ({score} of 4){value.length < 20 ? ' · short for a machine secret' : ''}
              {check.detectedFormat ? ` · looks like a ${check.detectedFormat}` : ''}
            </span>
          </>
        ) : loading ? (
          <span className="text-muted">Checking the value…</span>
        ) : null}
      </p>
      <ValueFindings findings={findings} />
    </div>
  );
}

/** The problems with the typed value, named as Health and `keyward check` name them. */
function ValueFindings({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return null;
  return (
    <ul aria-label="Problems with this value" className="mt-2 space-y-1.5">
      {findings.map((f, i) => (
        <li key={`${f.kind}-${i}`} className="flex items-start gap-2 text-xs">
          <Badge tone={SEVERITY_TONES[f.severity]} className="shrink-0">
            {SEVERITY_LABELS[f.severity]}
          </Badge>
          <span className="min-w-0 [overflow-wrap:anywhere]">
            <span className="font-medium">{KIND_LABELS[f.kind]}:</span> {f.message} <span className="text-muted">{f.fix}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
