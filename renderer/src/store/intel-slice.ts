/**
 * Which screen the unlocked app shows (Vault, Health, Rotation, Generator),
 * and what main has worked out about the vault: the health analysis (findings,
 * risk, score) and the rotation schedule with its reminder count. Both are
 * metadata only — no value ever reaches the renderer through them.
 *
 * The schedule is refreshed, debounced, whenever the credential list changes.
 * The health analysis decrypts every value in main, so unlocking never starts
 * it: it runs when the person opens Health (or asks from elsewhere), and only
 * once they have asked is it kept up to date as the list changes.
 */
import type { RotationSchedule } from '../../../shared/ipc/contract';
import type { VaultHealth } from '../../../shared/health/findings';
import type { CredentialDetail } from '../../../shared/domain';
import { call, type Result } from '../lib/api';
import { replaced } from './credential-list';
import type { SliceCreator } from './types';

export type Screen = 'vault' | 'health' | 'rotation' | 'generator';

export interface IntelState {
  screen: Screen;
  health: VaultHealth | null;
  /** Whether the person asked for the analysis in this unlocked session (opened Health). */
  healthWanted: boolean;
  schedule: RotationSchedule | null;
  /** Reminders showing (due soon or overdue, not snoozed): from the schedule or the latest 'reminder-due' event. */
  reminders: number;
}

export interface IntelSlice extends IntelState {
  setScreen(screen: Screen): void;
  /** Runs the analysis now and keeps it up to date from then on (the person asked for it). */
  loadHealth(): Promise<void>;
  loadSchedule(): Promise<void>;
  /** Both, after a short pause (several changes in a row cost one analysis). */
  refreshIntel(): void;
  setReminders(count: number): void;
  /** Applies a credential that a rotation call returned (list row, open detail, then the schedule). */
  applyDetail(r: Result<CredentialDetail>): Result<CredentialDetail>;
}

export const initialIntelState: IntelState = { screen: 'vault', health: null, healthWanted: false, schedule: null, reminders: 0 };

let timer: ReturnType<typeof setTimeout> | null = null;
let healthTicket = 0;
let scheduleTicket = 0;
const DEBOUNCE_MS = 250;

export const createIntelSlice: SliceCreator<IntelSlice> = (set, get) => ({
  ...initialIntelState,

  setScreen: (screen) => {
    set({ screen });
    if (screen === 'health') void get().loadHealth();
  },

  loadHealth: async () => {
    set({ healthWanted: true });
    const ticket = ++healthTicket;
    const r = await call('analysis.health', {});
    if (ticket !== healthTicket || get().appState?.phase !== 'unlocked') return;
    if (r.ok) set({ health: r.value });
    else if (r.error.code === 'VAULT_LOCKED') void get().handleLocked('user');
  },

  loadSchedule: async () => {
    const ticket = ++scheduleTicket;
    const r = await call('rotation.schedule', {});
    if (ticket !== scheduleTicket || get().appState?.phase !== 'unlocked') return;
    if (r.ok) set({ schedule: r.value, reminders: r.value.reminders });
    else if (r.error.code === 'VAULT_LOCKED') void get().handleLocked('user');
  },

  refreshIntel: () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (get().appState?.phase !== 'unlocked') return;
      if (get().healthWanted) void get().loadHealth();
      void get().loadSchedule();
    }, DEBOUNCE_MS);
  },

  setReminders: (count) => set({ reminders: count }),

  applyDetail: (r) => {
    if (r.ok) {
      const detail = r.value;
      set((s) => ({
        credentials: replaced(s.credentials, detail),
        detail: s.selectedId === detail.id ? detail : s.detail,
      }));
    } else if (r.error.code === 'VAULT_LOCKED') void get().handleLocked('user');
    return r;
  },
});
