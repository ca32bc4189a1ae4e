/**
 * The one bound store, built from feature slices (zustand's slices pattern).
 * `resetAll` puts every slice back to its initial state: on lock the renderer
 * must hold nothing of the vault any more.
 */
import { create } from 'zustand';
import { createClipboardSlice, initialClipboardState } from './clipboard-slice';
import { createSessionSlice, initialSessionState } from './session-slice';
import type { Store } from './types';
import { createUiSlice, initialUiState } from './ui-slice';
import { createVaultSlice, initialVaultState } from './vault-slice';
import { createIntelSlice, initialIntelState } from './intel-slice';

export const initialState = { ...initialSessionState, ...initialVaultState, ...initialUiState, ...initialClipboardState, ...initialIntelState };

export const useStore = create<Store>()((...a) => ({
  ...createSessionSlice(...a),
  ...createVaultSlice(...a),
  ...createUiSlice(...a),
  ...createClipboardSlice(...a),
  ...createIntelSlice(...a),
  resetAll: () => a[0]({ ...initialState }),
}));

export type { Store } from './types';
export type { Filters, StatusFilter } from './vault-slice';
export type { DialogState, Toast } from './ui-slice';
export type { Screen } from './intel-slice';
