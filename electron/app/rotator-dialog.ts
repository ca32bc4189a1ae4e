/**
 * The native dialog that asks the user to allow a command rotator, outside
 * the page (a compromised renderer cannot click it). It shows the commands
 * exactly as they will be stored and run — after the core validated them and
 * resolved their programs — escaped with the same `safeText` as the CLI, so a
 * newline, a terminal escape or a bidirectional override in a name or a
 * command cannot make the dialog show something other than what will run.
 */
import { safeText } from '../core/text/safe-text.js';

/**
 * What main must be given: the cleaned commands (trimmed, one line each,
 * programs resolved by the rotation service), never the raw request — and
 * never the request object itself, which carries the master password.
 */
export interface RotatorCommandsToConfirm {
  create: string;
  test?: string;
  revoke?: string;
  /** The folder the steps run in (RotationService.stepFolder), when known. */
  folder?: string;
}

/** A native message box's options (Electron's dialog.showMessageBox), of one kind. */
export interface MessageDialogOptions<Kind extends 'warning' | 'question'> {
  type: Kind;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  noLink: boolean;
  title: string;
  message: string;
  detail: string;
}

export type RotatorDialogOptions = MessageDialogOptions<'warning'>;

/** The button index that means "Allow"; anything else (including closing the dialog) is a refusal. */
export const ALLOW_BUTTON = 1;

const MAX_NAME_CHARS = 80;

function shortName(name: string): string {
  const safe = safeText(name);
  return safe.length > MAX_NAME_CHARS ? `${safe.slice(0, MAX_NAME_CHARS - 1)}…` : safe;
}

/**
 * The dialog's options. The commands are shown in full — never shortened, so
 * nothing can hide at the end of a long line — one line per step.
 */
export function rotatorDialogOptions(credentialName: string, commands: RotatorCommandsToConfirm): RotatorDialogOptions {
  const steps: Array<[string, string | undefined]> = [
    ['create', commands.create],
    ['test', commands.test],
    ['revoke', commands.revoke],
  ];
  const detail = steps
    .filter((s): s is [string, string] => typeof s[1] === 'string' && s[1] !== '')
    .map(([step, command]) => `${step}: ${safeText(command)}`)
    .join('\n');
  const folder = typeof commands.folder === 'string' && commands.folder !== '' ? `\n\nin: ${safeText(commands.folder)}` : '';
  return {
    type: 'warning',
    buttons: ['Cancel', 'Allow'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
    title: 'Keyward',
    message: `Allow these commands to run, with your rights, when "${shortName(credentialName)}" is rotated?`,
    detail: detail + folder,
  };
}
