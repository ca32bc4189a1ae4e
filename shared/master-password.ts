/**
 * The minimum Keyward asks of a master password, in one place: the core
 * enforces it (CLI `init`/`passwd`), the app states it before the user types
 * and checks it live. It is the same bar the product recommends elsewhere: the
 * default password policy's length, and a strength rated "Strong" or better.
 */
export const MASTER_PASSWORD_MINIMUM = {
  /** Characters (code points), as the password policy counts them. */
  length: 12,
  /** zxcvbn score 0–4; 3 is "Strong". */
  score: 3,
  scoreLabel: 'Strong',
} as const;

/** The rule in words, shown before anyone types. */
export const MASTER_PASSWORD_RULE = `At least ${MASTER_PASSWORD_MINIMUM.length} characters and rated “${MASTER_PASSWORD_MINIMUM.scoreLabel}” or better.`;

/** Why a candidate falls short (null when it meets the minimum). `score` is the estimator's 0–4. */
export function masterPasswordShortfall(password: string, score: number): string | null {
  const length = [...password.normalize('NFC')].length;
  if (length < MASTER_PASSWORD_MINIMUM.length)
    return `The master password must be at least ${MASTER_PASSWORD_MINIMUM.length} characters (it has ${length}).`;
  if (score < MASTER_PASSWORD_MINIMUM.score)
    return `The master password is too easy to guess: it must be rated “${MASTER_PASSWORD_MINIMUM.scoreLabel}” or better.`;
  return null;
}
