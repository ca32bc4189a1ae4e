/**
 * What the window knows of rotation: the reminder count and the vault key's
 * due date everywhere, and the whole schedule (what is due, the policy in
 * force) only while the Rotation screen shows it — at 100k credentials the
 * schedule is 35 MB to send. Metadata only. Refreshed, debounced, whenever
 * the credential list changes (see `refreshAfterChange`).
 */
import type { RotationSchedule } from '../../../shared/ipc/contract';
import type { CredentialDetail } from '../../../shared/domain';
import { call, type Result } from '../lib/api';
import { replaced } from './credential-list';
import type { SliceCreator } from './types';

export interface RotationState {
  /** The whole schedule, while the Rotation screen shows it; null elsewhere. */
  schedule: RotationSchedule | null;
  /** The Rotation screen shows: refreshes fetch the schedule (from its first load to `dropSchedule`). */
  scheduleShown: boolean;
  /** Reminders showing (due soon or overdue, not snoozed): from main's count, the schedule or the latest 'reminder-due' event. */
  reminders: number;
  vaultKeyDueAt: string | null;
  /** Counts the refreshes of what is due: a credential's due line asks main again at each. */
  dueRefreshes: number;
}

export interface RotationSlice extends RotationState {
  /** The whole schedule: for the Rotation screen, which drops it when it goes (`dropSchedule`). */
  loadSchedule(): Promise<void>;
  dropSchedule(): void;
  /** What is due may have moved: the schedule again if it shows, else the reminder count and the vault key's date. */
  refreshRotation(): Promise<void>;
  setReminders(count: number): void;
  /** Applies a credential that a rotation call returned (list row, open detail, then the schedule). */
  applyDetail(r: Result<CredentialDetail>): Result<CredentialDetail>;
}

export const initialRotationState: RotationState = { schedule: null, scheduleShown: false, reminders: 0, vaultKeyDueAt: null, dueRefreshes: 0 };

// Only the newest answer lands: a schedule or a count, whichever was asked for last.
let rotationTicket = 0;

export const createRotationSlice: SliceCreator<RotationSlice> = (set, get) => ({
  ...initialRotationState,

  loadSchedule: async () => {
    set({ scheduleShown: true });
    const ticket = ++rotationTicket;
    const r = await call('rotation.schedule', {});
    if (ticket !== rotationTicket || get().appState?.phase !== 'unlocked') return;
    if (r.ok) set((s) => ({ schedule: r.value, reminders: r.value.reminders, vaultKeyDueAt: r.value.vaultKeyDueAt, dueRefreshes: s.dueRefreshes + 1 }));
    else if (r.error.code === 'VAULT_LOCKED') void get().handleLocked('user');
  },

  dropSchedule: () => {
    // (An answer still on its way is dropped too.)
    rotationTicket++;
    set({ schedule: null, scheduleShown: false });
  },

  refreshRotation: async () => {
    if (get().scheduleShown) return get().loadSchedule();
    const ticket = ++rotationTicket;
    const r = await call('rotation.status', {});
    if (ticket !== rotationTicket || get().appState?.phase !== 'unlocked') return;
    if (r.ok) set((s) => ({ reminders: r.value.reminders, vaultKeyDueAt: r.value.vaultKeyDueAt, dueRefreshes: s.dueRefreshes + 1 }));
    else if (r.error.code === 'VAULT_LOCKED') void get().handleLocked('user');
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
