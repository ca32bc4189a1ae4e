import type { StateCreator } from 'zustand';
import type { SessionSlice } from './session-slice';
import type { VaultSlice } from './vault-slice';
import type { UiSlice } from './ui-slice';
import type { ClipboardSlice } from './clipboard-slice';
import type { HealthSlice } from './health-slice';
import type { RotationSlice } from './rotation-slice';
import type { IncidentsSlice } from './incidents-slice';

/** Root-level actions that span slices. */
export interface RootActions {
  /** Drops everything the renderer holds (on lock): every slice back to its initial state. */
  resetAll(): void;
  /** The vault's health (once asked for) and the rotation schedule, after a short pause: several changes in a row cost one refresh. */
  refreshAfterChange(): void;
}

export type Store = SessionSlice & VaultSlice & UiSlice & ClipboardSlice & HealthSlice & RotationSlice & IncidentsSlice & RootActions;

export type SliceCreator<T> = StateCreator<Store, [], [], T>;
