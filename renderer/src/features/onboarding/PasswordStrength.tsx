/**
 * Live strength feedback for a new master password (zxcvbn-ts, loaded on
 * first use). Shows the score 0–4 in words, the estimator's warning and its
 * suggestions.
 */
import { useEffect, useState } from 'react';
import { CheckboxField } from '../../components/Field';
import { estimate, loadEstimator, type Strength } from '../../lib/strength';

/**
 * The explicit override of the master password minimum (onboarding and
 * Settings alike): offered only after a password was refused, never the default.
 */
export function WeakPasswordOverride({ checked, onChange }: { checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <CheckboxField
      label="Use this weak master password anyway"
      checked={checked}
      onChange={(e) => onChange(e.target.checked)}
      note="Not recommended: anyone who copies the vault file can try passwords offline. The choice is recorded in the audit log."
    />
  );
}

export function useStrength(password: string): { strength: Strength | null; loading: boolean } {
  const [strength, setStrength] = useState<Strength | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    // Start fetching the dictionaries as soon as a screen that needs them appears.
    void loadEstimator().catch(() => undefined);
  }, []);

  useEffect(() => {
    if (!password) {
      setStrength(null);
      setLoading(false);
      return;
    }
    let cancelled = false;
    setLoading(true);
    const timer = setTimeout(() => {
      estimate(password)
        .then((s) => {
          if (!cancelled) setStrength(s);
        })
        .catch(() => {
          if (!cancelled) setStrength(null);
        })
        .finally(() => {
          if (!cancelled) setLoading(false);
        });
    }, 80);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [password]);

  return { strength, loading };
}

const BAR_COLOURS = ['bg-red-500', 'bg-orange-500', 'bg-amber-400', 'bg-lime-500', 'bg-emerald-500'] as const;
/** Segment i of 4 is lit for scores above i; a score of 0 still lights the first in red. */
function barColour(score: number, i: number): string {
  if (score < 0) return 'bg-line';
  if (score > i || (score === 0 && i === 0)) return BAR_COLOURS[score as 0 | 1 | 2 | 3 | 4];
  return 'bg-line';
}

const TEXT_COLOURS = ['text-danger-text', 'text-danger-text', 'text-warn-text', 'text-ok-text', 'text-ok-text'] as const;

export function StrengthMeter({ id, strength, loading, empty }: { id: string; strength: Strength | null; loading: boolean; empty: boolean }) {
  const score = strength?.score ?? -1;
  return (
    <div id={id} className="mt-2.5" aria-live="polite">
      <div className="flex gap-1" aria-hidden="true">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className={`h-1.5 flex-1 rounded-full transition-colors ${barColour(score, i)}`} />
        ))}
      </div>
      <div className="mt-2 min-h-5 text-xs">
        {empty ? (
          <span className="text-muted">Use a long passphrase: several unrelated words are easy to remember and hard to guess.</span>
        ) : strength ? (
          <div>
            <p>
              <span className={`font-semibold ${TEXT_COLOURS[strength.score]}`}>
                Strength: {strength.label}
              </span>
              <span className="text-muted">
                {' '}
                ({strength.score} of 4) · would take {strength.crackTime} to crack offline
              </span>
            </p>
            {strength.warning ? <p className="mt-1 text-warn-text">{strength.warning}</p> : null}
            {strength.suggestions.length > 0 ? (
              <ul className="mt-1 list-disc space-y-0.5 pl-4 text-muted">
                {strength.suggestions.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : loading ? (
          <span className="text-muted">Checking strength…</span>
        ) : null}
      </div>
    </div>
  );
}
