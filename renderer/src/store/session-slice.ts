/**
 * The app's phase as main reports it (no vault / locked / unlocked), and the
 * actions that move between phases. Actions that a form shows inline answer a
 * Result so the caller can branch on the error code.
 */
import type { AppState, LockReason } from '../../../shared/ipc/contract';
import { call, type Result } from '../lib/api';
import type { SliceCreator } from './types';

export interface SessionState {
  appState: AppState | null;
  /** Set when even app.state failed: shown full-screen with a retry. */
  startupError: string | null;
  /** Why the vault was last locked (for a line on the unlock screen). */
  lastLockReason: LockReason | null;
}

export interface SessionSlice extends SessionState {
  loadAppState(): Promise<void>;
  setAppState(state: AppState): void;
  createVault(password: string, useKeychain: boolean, allowWeakPassword?: boolean): Promise<Result<{ keychainNote: string | null }>>;
  unlock(method: { method: 'password'; password: string } | { method: 'keychain' }): Promise<Result<AppState>>;
  lock(): Promise<void>;
  /** Main locked the vault (event): drop everything, then ask main where we are. */
  handleLocked(reason: LockReason): Promise<void>;
  restoreBackup(file?: string): Promise<Result<AppState>>;
  chooseFile(mode: 'open' | 'create'): Promise<void>;
}

export const initialSessionState: SessionState = { appState: null, startupError: null, lastLockReason: null };

export const createSessionSlice: SliceCreator<SessionSlice> = (set, get) => ({
  ...initialSessionState,

  loadAppState: async () => {
    const r = await call('app.state', {});
    if (r.ok) get().setAppState(r.value);
    else set({ startupError: r.error.message });
  },

  setAppState: (appState) => {
    const wasUnlocked = get().appState?.phase === 'unlocked';
    set({ appState, startupError: null });
    if (appState.phase === 'unlocked' && !wasUnlocked) {
      void get().loadList();
      // The nav badge counts unresolved incidents from the start, whichever screen is open.
      void get().loadIncidents();
    }
  },

  createVault: async (password, useKeychain, allowWeakPassword) => {
    const r = await call('vault.create', { password, useKeychain, ...(allowWeakPassword ? { allowWeakPassword: true } : {}) });
    if (!r.ok) return r;
    get().setAppState(r.value.state);
    return { ok: true, value: { keychainNote: r.value.keychainNote } };
  },

  unlock: async (method) => {
    const r = await call('vault.unlock', method);
    if (r.ok) {
      set({ lastLockReason: null });
      get().setAppState(r.value);
    }
    return r;
  },

  lock: async () => {
    const r = await call('vault.lock', {});
    get().resetAll();
    set({ lastLockReason: 'user' });
    if (r.ok) get().setAppState(r.value);
    else await get().loadAppState();
  },

  handleLocked: async (reason) => {
    get().resetAll();
    set({ lastLockReason: reason });
    await get().loadAppState();
  },

  restoreBackup: async (file) => {
    const r = await call('vault.restoreBackup', file ? { file } : {});
    if (r.ok) get().setAppState(r.value);
    return r;
  },

  chooseFile: async (mode) => {
    const r = await call('vault.chooseFile', { mode });
    if (r.ok) {
      get().resetAll();
      get().setAppState(r.value);
    } else get().toastError(r.error);
  },
});
