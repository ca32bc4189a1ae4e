/**
 * The live strength of a value being typed into a form, estimated here in
 * the renderer (zxcvbn-ts, lazy-loaded) — the value goes nowhere else.
 * Passwords get the onboarding meter's wording; other secrets an entropy-style
 * line, since "crack time" means little for a random API key.
 */
import { SCORE_LABELS } from '../../lib/strength';
import { StrengthMeter, useStrength } from '../onboarding/PasswordStrength';
import { ScoreBars } from './ScoreBars';

export function ValueStrength({ id, value, password }: { id: string; value: string; password: boolean }) {
  const { strength, loading } = useStrength(value);
  if (!value) return null;
  if (password) return <StrengthMeter id={id} strength={strength} loading={loading} empty={false} />;
  const bits = strength ? Math.round(strength.guessesLog10 * Math.log2(10)) : null;
  return (
    <div id={id} className="mt-2.5" aria-live="polite">
      <ScoreBars score={strength?.score ?? null} label="Estimated strength" />
      <p className="mt-2 min-h-5 text-xs">
        {strength ? (
          <>
            <span className="font-semibold">About {bits} bits of randomness</span>
            <span className="text-muted">
              {' '}
              · {SCORE_LABELS[strength.score]} ({strength.score} of 4){value.length < 20 ? ' · short for a machine secret' : ''}
            </span>
          </>
        ) : loading ? (
          <span className="text-muted">Estimating…</span>
        ) : null}
      </p>
    </div>
  );
}
