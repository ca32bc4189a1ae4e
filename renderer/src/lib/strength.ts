/**
 * Password strength with zxcvbn-ts. The estimator and its dictionaries are
 * large, so they are loaded with a dynamic import the first time a screen
 * asks (creating a vault, changing the master password) and never sit in the
 * initial bundle. Values typed into the add and rotate forms are not
 * estimated here: main analyses them (analysis.checkValue), as it analyses
 * every stored value, and `fromEstimate` draws its answer.
 */
import type { ZxcvbnResult } from '@zxcvbn-ts/core';
import { MASTER_PASSWORD_MINIMUM } from '../../../shared/master-password';
import type { StrengthEstimate } from '../../../shared/health/findings';

export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  label: string;
  warning: string | null;
  suggestions: string[];
  crackTime: string;
  /** log10 of the estimated guesses (× log2(10) ≈ bits, for non-password wording). */
  guessesLog10: number;
}

export const SCORE_LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;
/** The weakest score Keyward accepts for a master password (the rule itself: shared/master-password.ts). */
export const MIN_MASTER_SCORE = MASTER_PASSWORD_MINIMUM.score;

type Estimator = (password: string, userInputs?: string[]) => ZxcvbnResult;
let loading: Promise<Estimator> | null = null;

export function loadEstimator(): Promise<Estimator> {
  loading ??= (async () => {
    const [core, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    const factory = new core.ZxcvbnFactory({
      translations: en.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...en.dictionary },
      useLevenshteinDistance: true,
    });
    return (password, userInputs) => factory.check(password, userInputs);
  })();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

export async function estimate(password: string, userInputs: string[] = []): Promise<Strength> {
  const check = await loadEstimator();
  const r = check(password.slice(0, 256), ['keyward', 'vault', ...userInputs]);
  return {
    score: r.score,
    label: SCORE_LABELS[r.score],
    warning: r.feedback.warning || null,
    suggestions: r.feedback.suggestions,
    crackTime: r.crackTimes.offlineSlowHashingXPerSecond.display,
    guessesLog10: r.guessesLog10,
  };
}

/** Main's estimate of a value (analysis.checkValue) in the shape the meters draw. */
export function fromEstimate(e: StrengthEstimate): Strength {
  return { score: e.score, label: SCORE_LABELS[e.score], warning: e.warning, suggestions: e.suggestions, crackTime: e.crackTime, guessesLog10: e.guessesLog10 };
}
