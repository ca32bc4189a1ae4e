/**
 * A POLICY refusal in the app's own words. The core sends what it objects to
 * (`violations`); the CLI words that with --force, the app with its own
 * "Store anyway" button, so the message never tells an app user to type a flag.
 */
import type { ErrorInfo } from '../../../../shared/errors';

/** The rule id the core gives a rotation to the value already current. */
const SAME_VALUE = 'same_value';

export function refusalText(error: ErrorInfo, secretLabel: string): string {
  const noun = secretLabel.toLowerCase();
  const violations = error.violations ?? [];
  if (violations.some((v) => v.rule === SAME_VALUE))
    return `This is the same as the current ${noun}: rotating to it would change nothing. Store it anyway only if the provider really issued the same ${noun} again.`;
  if (violations.length === 0) return error.message;
  const said = violations.map((v) => v.message);
  const list = said.length === 1 ? said[0] : `${said.slice(0, -1).join(', ')} and ${said[said.length - 1]}`;
  return `This ${noun} does not meet your password policy: it ${list}. You can store it anyway; Health will keep flagging it.`;
}
