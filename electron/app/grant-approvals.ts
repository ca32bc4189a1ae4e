/**
 * Asking the user about a use of an "ask" grant (docs/grants.md): a native
 * dialog in the desktop app; where there is none (the harness), the page
 * shows the request and answers it over IPC. Unanswered, a request is denied
 * after two minutes, and every waiting request is denied when the vault locks.
 */
import type { GrantApproval, KeywardEvent } from '../../shared/ipc/contract.js';
import type { ApprovalRequest, Approver } from '../core/grants/grant-access.js';
import type { Random } from '../core/ports/random.js';
import type { CliSessionRequest } from '../core/api/cli-sessions.js';
import { safeText } from '../core/text/safe-text.js';
import type { MessageDialogOptions } from './rotator-dialog.js';

const WAIT_MS = 2 * 60_000;

export class GrantApprovals {
  readonly #waiting = new Map<string, { resolve: (allow: boolean) => void; timer: NodeJS.Timeout }>();
  /** Native dialogs open now: closed (denied) at a lock. */
  readonly #dialogs = new Set<AbortController>();

  /** A native dialog, denied when it is closed by a lock or left unanswered for two minutes. */
  async #native<R>(ask: (request: R, signal: AbortSignal) => Promise<boolean>, request: R): Promise<boolean> {
    const controller = new AbortController();
    this.#dialogs.add(controller);
    const timer = setTimeout(() => controller.abort(), WAIT_MS);
    try {
      const allowed = await ask(request, controller.signal);
      return allowed && !controller.signal.aborted;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      this.#dialogs.delete(controller);
    }
  }

  constructor(
    private readonly options: {
      emit: (event: KeywardEvent) => void;
      random: Random;
      /** A native dialog (the desktop app), closed through `signal` at a lock or after two minutes; absent: the page asks. */
      native?: (request: ApprovalRequest, signal: AbortSignal) => Promise<boolean>;
      nativeCli?: (request: CliSessionRequest, signal: AbortSignal) => Promise<boolean>;
      /** Whether anyone can be asked now (the vault unlocked, the page showing it). */
      canAsk: () => boolean;
    },
  ) {}

  /** The approver the local API uses. */
  readonly approve: Approver = async (request: ApprovalRequest) => {
    if (!this.options.canAsk()) return false;
    if (this.options.native) return this.#native(this.options.native, request);
    return this.#ask({
      grant: request.grant,
      purpose: request.purpose,
      credentials: request.credentials,
      ...(request.command ? { command: request.command.slice(0, 50) } : {}),
      ...(request.program ? { program: request.program } : {}),
    });
  };

  /** A terminal asking to use the CLI through the app (api/cli-sessions.ts): the same dialog, worded for it. */
  readonly approveCli = async (request: CliSessionRequest): Promise<boolean> => {
    if (!this.options.canAsk()) return false;
    if (this.options.nativeCli) return this.#native(this.options.nativeCli, request);
    return this.#ask({ kind: 'cli', terminal: request.terminal, minutes: request.minutes, grant: 'command line', purpose: 'value', credentials: [], ...(request.program ? { program: request.program } : {}) });
  };

  #ask(approval: Omit<GrantApproval, 'id'>): Promise<boolean> {
    const id = `apr-${this.options.random.bytes(8).toString('hex')}`;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => this.answer(id, false), WAIT_MS);
      this.#waiting.set(id, { resolve, timer });
      this.options.emit({ type: 'grant-approval', approval: { id, ...approval } });
    });
  }

  /** The page's answer; false when the request was no longer waiting. */
  answer(id: string, allow: boolean): boolean {
    const waiting = this.#waiting.get(id);
    if (!waiting) return false;
    this.#waiting.delete(id);
    clearTimeout(waiting.timer);
    waiting.resolve(allow);
    this.options.emit({ type: 'grant-approval-ended', id });
    return true;
  }

  /** Denies everything still waiting (the vault locked: nothing can be handed out any more). */
  denyAll(): void {
    for (const id of [...this.#waiting.keys()]) this.answer(id, false);
    for (const dialog of this.#dialogs) dialog.abort();
  }
}

export type QuestionDialogOptions = MessageDialogOptions<'question'>;

/** Deny first and by default (Escape and closing deny too); the allowing button is ALLOW_ONCE_BUTTON. */
function question(title: string, allow: string, message: string, detail: string[]): QuestionDialogOptions {
  return { type: 'question', buttons: ['Deny', allow], defaultId: 0, cancelId: 0, noLink: true, title, message, detail: detail.join('\n') };
}

/** Who asks, as it says (escaped like the CLI escapes). */
function askedBy(program: { pid: number; argv: string[] } | undefined): string {
  return program ? `${safeText(program.argv.join(' ')).slice(0, 300)} (process ${program.pid}, as it says)` : 'a program (it did not say which)';
}

/** What an approval asks for, in the dialog's words. */
const APPROVAL_ASKS: Record<ApprovalRequest['purpose'], string> = {
  value: 'for secret values',
  run: 'for secret values, saying it will run a command with them',
  rotate: "to run the rotator of the credential below: a new value is made and stored, the old one revoked (no value is handed to the program)",
  change: 'to change the credential below (add it, edit it, give it a new value, or remove it)',
};

/** The native dialog's content for an approval (desktop app): who asks, for what, escaped like the CLI escapes. */
export function grantApprovalDialogOptions(request: ApprovalRequest): QuestionDialogOptions {
  const names = request.credentials.slice(0, 10).map((n) => `  • ${safeText(n).slice(0, 80)}`);
  const more = request.credentials.length > 10 ? [`  … and ${request.credentials.length - 10} more`] : [];
  return question(
    'Keyward: approve a use of a grant',
    'Allow once',
    // The command is the program's claim: the values go to it, whatever it then runs.
    `A program holding the grant "${safeText(request.grant)}" asks ${APPROVAL_ASKS[request.purpose]}.`,
    [
      `Asked by: ${askedBy(request.program)}`,
      ...(request.command ? [`Command (as it says): ${safeText(request.command.join(' ')).slice(0, 300)}`] : []),
      `Credentials (${request.credentials.length}):`,
      ...names,
      ...more,
    ],
  );
}

/** The button of grantApprovalDialogOptions that allows; anything else (closing the dialog too) denies. */
export const ALLOW_ONCE_BUTTON = 1;

/** The native dialog's content for a terminal asking to use the CLI through the app. */
export function cliSessionDialogOptions(request: CliSessionRequest): QuestionDialogOptions {
  return question('Keyward: allow the command line', 'Allow', `Let the command line in this terminal use Keyward for ${request.minutes} minutes?`, [
    `Terminal: ${safeText(request.terminal).slice(0, 200)}`,
    `Asked by: ${askedBy(request.program)}`,
    'keyward get and list there will read from this app without the master password until then, or until Keyward locks.',
  ]);
}
