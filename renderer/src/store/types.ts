import type { StateCreator } from 'zustand';
import type { SessionSlice } from './session-slice';
import type { VaultSlice } from './vault-slice';
import type { UiSlice } from './ui-slice';
import type { ClipboardSlice } from './clipboard-slice';
import type { IntelSlice } from './intel-slice';

/** Root-level actions that span slices. */
export interface RootActions {
  /** Drops everything the renderer holds (on lock): every slice back to its initial state. */
  resetAll(): void;
}

export type Store = SessionSlice & VaultSlice & UiSlice & ClipboardSlice & IntelSlice & RootActions;

export type SliceCreator<T> = StateCreator<Store, [], [], T>;
