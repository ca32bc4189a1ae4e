/**
 * The clipboard countdown: what was copied (a label, never the value) and when
 * main will clear it. Main owns the clipboard and the timer; the renderer
 * asks main to copy and only mirrors when it will be cleared.
 */
import type { CopyTarget } from '../../../shared/ipc/contract';
import { call, type Result } from '../lib/api';
import { deadlineFrom } from '../lib/deadline';
import type { SliceCreator } from './types';

export interface ClipboardCopy {
  /** "Secret key of github-prod" — for the status line. */
  label: string;
  credentialId: string;
  /** What was copied: 'value' or a field key. */
  target: string;
  /** ms since epoch, on this page's clock. */
  deadline: number;
}

export interface ClipboardState {
  clipboard: ClipboardCopy | null;
}

export interface ClipboardSlice extends ClipboardState {
  /** Copies in main; `what` names the thing copied ("Secret key", "Username"). */
  copyToClipboard(credential: { id: string; name: string }, target: CopyTarget, what: string): Promise<Result<unknown>>;
  clipboardCleared(): void;
}

export const initialClipboardState: ClipboardState = { clipboard: null };

export const createClipboardSlice: SliceCreator<ClipboardSlice> = (set, get) => ({
  ...initialClipboardState,
  copyToClipboard: async (credential, target, what) => {
    const r = await call('credentials.copy', { id: credential.id, target });
    if (r.ok) {
      set({
        clipboard: {
          label: `${what} of ${credential.name}`,
          credentialId: credential.id,
          target: target === 'value' ? 'value' : target.field,
          deadline: deadlineFrom(r.value.clearsAt, r.value.clearAfterSeconds),
        },
      });
    } else if (r.error.code === 'VAULT_LOCKED') void get().handleLocked('user');
    else get().toastError(r.error);
    return r;
  },
  clipboardCleared: () => set({ clipboard: null }),
});
