/**
 * The vault's health as main worked it out (findings, risk, score): metadata
 * only, no value ever reaches the renderer through it.
 *
 * The health pipeline decrypts every value in main, so unlocking never starts
 * it: it runs when the person opens Health (or asks from elsewhere), and only
 * once they have asked is it kept up to date as the list changes.
 */
import type { VaultHealth } from '../../../shared/health/findings';
import { call } from '../lib/api';
import type { SliceCreator } from './types';

export interface HealthState {
  health: VaultHealth | null;
  /** Whether the person asked for the vault's health in this unlocked session (opened Health). */
  healthWanted: boolean;
}

export interface HealthSlice extends HealthState {
  /** Works out the vault's health now and keeps it up to date from then on (the person asked for it). */
  loadHealth(): Promise<void>;
}

export const initialHealthState: HealthState = { health: null, healthWanted: false };

let healthTicket = 0;

export const createHealthSlice: SliceCreator<HealthSlice> = (set, get) => ({
  ...initialHealthState,

  loadHealth: async () => {
    set({ healthWanted: true });
    const ticket = ++healthTicket;
    const r = await call('analysis.health', {});
    if (ticket !== healthTicket || get().appState?.phase !== 'unlocked') return;
    if (r.ok) set({ health: r.value });
    else if (r.error.code === 'VAULT_LOCKED') void get().handleLocked('user');
  },
});
