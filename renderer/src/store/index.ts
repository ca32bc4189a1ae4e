/**
 * The one bound store, built from feature slices (zustand's slices pattern).
 * `resetAll` puts every slice back to its initial state: on lock the renderer
 * must hold nothing of the vault any more.
 */
import { create } from 'zustand';
import { createClipboardSlice, initialClipboardState } from './clipboard-slice';
import { createHealthSlice, initialHealthState } from './health-slice';
import { createIncidentsSlice, initialIncidentsState } from './incidents-slice';
import { createRotationSlice, initialRotationState } from './rotation-slice';
import { createSessionSlice, initialSessionState } from './session-slice';
import type { Store } from './types';
import { createUiSlice, initialUiState } from './ui-slice';
import { createVaultSlice, initialVaultState } from './vault-slice';

export const initialState = {
  ...initialSessionState,
  ...initialVaultState,
  ...initialUiState,
  ...initialClipboardState,
  ...initialHealthState,
  ...initialRotationState,
  ...initialIncidentsState,
};

let refreshTimer: ReturnType<typeof setTimeout> | null = null;
const REFRESH_DEBOUNCE_MS = 250;

export const useStore = create<Store>()((...a) => ({
  ...createSessionSlice(...a),
  ...createVaultSlice(...a),
  ...createUiSlice(...a),
  ...createClipboardSlice(...a),
  ...createHealthSlice(...a),
  ...createRotationSlice(...a),
  ...createIncidentsSlice(...a),
  resetAll: () => a[0]({ ...initialState }),
  refreshAfterChange: () => {
    const get = a[1];
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      if (get().appState?.phase !== 'unlocked') return;
      if (get().healthWanted) void get().loadHealth();
      void get().refreshRotation();
    }, REFRESH_DEBOUNCE_MS);
  },
}));

export type { Store } from './types';
export type { Filters, StatusFilter } from './vault-slice';
export type { DialogState, Screen, Toast, VaultProgress } from './ui-slice';
