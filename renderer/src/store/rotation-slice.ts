/**
 * The rotation schedule main works out (what is due, the policy in force) and
 * the reminder count: metadata only. The schedule is refreshed, debounced,
 * whenever the credential list changes (see `refreshAfterChange`).
 */
import type { RotationSchedule } from '../../../shared/ipc/contract';
import type { CredentialDetail } from '../../../shared/domain';
import { call, type Result } from '../lib/api';
import { replaced } from './credential-list';
import type { SliceCreator } from './types';

export interface RotationState {
  schedule: RotationSchedule | null;
  /** Reminders showing (due soon or overdue, not snoozed): from the schedule or the latest 'reminder-due' event. */
  reminders: number;
}

export interface RotationSlice extends RotationState {
  loadSchedule(): Promise<void>;
  setReminders(count: number): void;
  /** Applies a credential that a rotation call returned (list row, open detail, then the schedule). */
  applyDetail(r: Result<CredentialDetail>): Result<CredentialDetail>;
}

export const initialRotationState: RotationState = { schedule: null, reminders: 0 };

let scheduleTicket = 0;

export const createRotationSlice: SliceCreator<RotationSlice> = (set, get) => ({
  ...initialRotationState,

  loadSchedule: async () => {
    const ticket = ++scheduleTicket;
    const r = await call('rotation.schedule', {});
    if (ticket !== scheduleTicket || get().appState?.phase !== 'unlocked') return;
    if (r.ok) set({ schedule: r.value, reminders: r.value.reminders });
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
