/** Which screen shows (Vault, Dashboard, Health, Rotation, Generator, Audit, Incidents), which dialog is open, and the toasts. */
import type { CredentialTypeId } from '../../../shared/credential-types/index';
import type { VaultOperation } from '../../../shared/ipc/vault';
import type { ErrorInfo } from '../lib/api';
import type { SliceCreator } from './types';

export type Screen = 'vault' | 'dashboard' | 'health' | 'rotation' | 'generator' | 'audit' | 'incidents' | 'policies' | 'grants' | 'integrations';

export type DialogState =
  | { kind: 'new'; type?: CredentialTypeId }
  | { kind: 'edit'; id: string }
  | { kind: 'rotate'; id: string }
  | { kind: 'delete'; id: string }
  | { kind: 'compromised'; id: string }
  /** Deactivating needs the master password (a custom rule would stop reminding): `reason` says which. */
  | { kind: 'deactivate'; id: string; reason: string }
  | { kind: 'settings' }
  | { kind: 'shortcuts' };

/** A button on a toast (e.g. Undo). Running it dismisses the toast. */
export interface ToastAction {
  label: string;
  run: () => void | Promise<void>;
}

export interface Toast {
  id: number;
  kind: 'success' | 'error' | 'info';
  message: string;
  action?: ToastAction;
}

/** How far main has got with work over the whole vault (a vault key rotation), while it runs. */
export interface VaultProgress {
  operation: VaultOperation;
  done: number;
  total: number;
}

export interface UiState {
  screen: Screen;
  dialog: DialogState | null;
  toasts: Toast[];
  vaultProgress: VaultProgress | null;
}

export interface UiSlice extends UiState {
  /** Shows a screen; opening Health asks main for the vault's health. */
  setScreen(screen: Screen): void;
  openDialog(dialog: DialogState): void;
  closeDialog(): void;
  toast(kind: Toast['kind'], message: string, action?: ToastAction): void;
  /** An error that is not shown inline: a toast with its message (never a stack). */
  toastError(error: ErrorInfo): void;
  dismissToast(id: number): void;
  /** Main's progress report; null when the work ended (or the vault changed or locked). */
  setVaultProgress(progress: VaultProgress | null): void;
}

export const initialUiState: UiState = { screen: 'vault', dialog: null, toasts: [], vaultProgress: null };

let nextToastId = 1;
export const MAX_TOASTS = 3;

/** A toast joins the queue: the same message already showing gives way to it (a repeat does not stack), and only the newest few stay. */
export function enqueueToast(toasts: Toast[], toast: Toast): Toast[] {
  return [...toasts.filter((t) => t.message !== toast.message), toast].slice(-MAX_TOASTS);
}

export const createUiSlice: SliceCreator<UiSlice> = (set, get) => ({
  ...initialUiState,
  setScreen: (screen) => {
    set({ screen });
    if (screen === 'health') void get().loadHealth();
  },
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
  toast: (kind, message, action) => set((s) => ({ toasts: enqueueToast(s.toasts, { id: nextToastId++, kind, message, ...(action ? { action } : {}) }) })),
  toastError: (error) => set((s) => ({ toasts: enqueueToast(s.toasts, { id: nextToastId++, kind: 'error', message: error.message }) })),
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  setVaultProgress: (vaultProgress) => set({ vaultProgress }),
});
