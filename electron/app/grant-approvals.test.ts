import { describe, expect, it } from 'vitest';
import type { KeywardEvent } from '../../shared/ipc/contract.js';
import { systemRandom } from '../core/ports/random.js';
import { ALLOW_ONCE_BUTTON, cliSessionDialogOptions, GrantApprovals, grantApprovalDialogOptions } from './grant-approvals.js';

const request = { grant: 'ci\u202Eevil', role: 'runner' as const, purpose: 'run' as const, credentials: ['stripe\nprod'], command: ['npm', 'test'], program: { pid: 42, argv: ['keyward', 'run'] } };

describe('grant approvals', () => {
  it('native dialogs deny by default, say the command is the program’s claim, and escape what the program sent', () => {
    const options = grantApprovalDialogOptions(request);
    expect(options.buttons[ALLOW_ONCE_BUTTON]).toBe('Allow once');
    expect([options.defaultId, options.cancelId]).toEqual([0, 0]);
    expect(options.message).toMatch(/saying it will run a command with them/);
    expect(options.detail).toMatch(/Command \(as it says\): npm test/);
    expect(`${options.message}${options.detail}`).not.toMatch(/[\u202E\n]prod/);
    expect(cliSessionDialogOptions({ terminal: 'session 7 on /dev/pts/1', minutes: 15 }).buttons[ALLOW_ONCE_BUTTON]).toBe('Allow');
  });

  it('in the page: the request is shown, answered once, and everything waiting is denied at lock (native dialogs closed)', async () => {
    const events: KeywardEvent[] = [];
    let canAsk = false;
    const page = new GrantApprovals({ emit: (e) => events.push(e), random: systemRandom, canAsk: () => canAsk });
    expect(await page.approve(request)).toBe(false);
    canAsk = true;
    const allowed = page.approve(request);
    const shown = events.at(-1) as Extract<KeywardEvent, { type: 'grant-approval' }>;
    expect(shown).toMatchObject({ type: 'grant-approval', approval: { grant: request.grant, credentials: ['stripe\nprod'], command: ['npm', 'test'] } });
    expect(page.answer(shown.approval.id, true)).toBe(true);
    expect(page.answer(shown.approval.id, false)).toBe(false);
    expect(await allowed).toBe(true);
    const waiting = page.approve(request);
    page.denyAll();
    expect(await waiting).toBe(false);

    let signal: AbortSignal | null = null;
    const native = new GrantApprovals({ emit: () => undefined, random: systemRandom, canAsk: () => true, native: (_r, s) => ((signal = s), new Promise<boolean>((resolve) => s.addEventListener('abort', () => resolve(true)))) });
    const asked = native.approve(request);
    await Promise.resolve();
    native.denyAll();
    // A dialog closed by the lock allows nothing, whatever it answered.
    expect(await asked).toBe(false);
    expect(signal!.aborted).toBe(true);
  });
});
