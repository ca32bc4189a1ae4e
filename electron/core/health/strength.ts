/**
 * Password strength with zxcvbn-ts and its common + English dictionaries.
 * The estimator takes ~1 s to build and ~5–40 ms per password, so it is built
 * once, on first use, and results are stored with each version (see persistStrengths in vault-health.ts).
 */
import type { StrengthEstimate } from '../../../shared/health/findings.js';

type Zxcvbn = { check(password: string, userInputs?: (string | number)[]): ZxcvbnResult };
interface ZxcvbnResult {
  score: number;
  guessesLog10: number;
  crackTimes: { offlineSlowHashingXPerSecond: { display: string } };
  feedback: { warning: string | null; suggestions: string[] };
}

/** Beyond this many characters the estimator adds nothing but time. */
export const STRENGTH_MAX_LENGTH = 64;

let estimator: Zxcvbn | null = null;

function build(): Zxcvbn {
  // Required lazily so that commands which never estimate strength don't load 8 MB of dictionaries.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ZxcvbnFactory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const common = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const en = require('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en');
  return new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
    maxLength: STRENGTH_MAX_LENGTH,
    l33tMaxSubstitutions: 4,
  }) as unknown as Zxcvbn;
}

/** `context` are words the password should not be built from (its name, username, provider). */
export function estimateStrength(password: string, context: readonly string[] = []): StrengthEstimate {
  estimator ??= build();
  const r = estimator.check(password.slice(0, STRENGTH_MAX_LENGTH), context.filter((w) => w.length >= 3).map((w) => w.toLowerCase()));
  return {
    score: Math.max(0, Math.min(4, r.score)) as StrengthEstimate['score'],
    guessesLog10: Math.round(r.guessesLog10 * 100) / 100,
    crackTime: r.crackTimes.offlineSlowHashingXPerSecond.display,
    warning: r.feedback.warning || null,
    suggestions: r.feedback.suggestions,
  };
}
