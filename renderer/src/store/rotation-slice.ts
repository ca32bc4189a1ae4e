/**
 * What the window knows of rotation: the reminder count and the vault key's
 * due date everywhere, and the Rotation screen's timeline (a page of each
 * group, the policy in force) only while that screen shows — at 100k
 * credentials the whole schedule is 35 MB to send, a page of each group a
 * few kB. Metadata only. Refreshed, debounced, whenever the credential list
 * changes (see `refreshAfterChange`).
 */
import type { RotationTimeline } from '../../../shared/ipc/contract';
import type { CredentialDetail } from '../../../shared/domain';
import { TIMELINE_PAGE, timelineGroupOf, type DueItem, type TimelineGroup, type TimelineKept } from '../../../shared/rotation';
import { call, type Result } from '../lib/api';
import { replaced } from './credential-list';
import type { SliceCreator } from './types';

export interface TimelineAsk {
  /** How many cards of each group show ("Show more" adds a page). */
  limits: Record<TimelineGroup, number>;
  keep: TimelineKept[];
}

export interface RotationState {
  /** The Rotation screen's timeline while it shows; null elsewhere. */
  timeline: RotationTimeline | null;
  /** What the Rotation screen shows of it, from its opening (`openTimeline`) to its closing (`closeTimeline`); null elsewhere. */
  timelineAsk: TimelineAsk | null;
  /** Reminders showing (due soon or overdue, not snoozed): from main's count, the timeline or the latest 'reminder-due' event. */
  reminders: number;
  vaultKeyDueAt: string | null;
  /** Counts the refreshes of what is due: a credential's due line asks main again at each. */
  dueRefreshes: number;
}

export interface RotationSlice extends RotationState {
  /** The Rotation screen opens: a first page of each group, nothing kept in place. */
  openTimeline(): Promise<void>;
  closeTimeline(): void;
  /** The timeline again, as the screen shows it (pages, kept cards). */
  loadTimeline(): Promise<void>;
  showMore(group: TimelineGroup): Promise<void>;
  /** Keeps a card where it shows until the screen closes; `release` lets it go where it belongs. */
  keepInPlace(item: DueItem): void;
  release(id: string): void;
  /** What is due may have moved: the timeline again if it shows, else the reminder count and the vault key's date. */
  refreshRotation(): Promise<void>;
  setReminders(count: number): void;
  /** Applies a credential that a rotation call returned (list row, open detail, then the schedule). */
  applyDetail(r: Result<CredentialDetail>): Result<CredentialDetail>;
}

export const initialRotationState: RotationState = { timeline: null, timelineAsk: null, reminders: 0, vaultKeyDueAt: null, dueRefreshes: 0 };

const firstPages = (): Record<TimelineGroup, number> => ({ overdue: TIMELINE_PAGE, due_soon: TIMELINE_PAGE, snoozed: TIMELINE_PAGE, upcoming: TIMELINE_PAGE });

// Only the newest answer lands: a timeline or a count, whichever was asked for last.
let rotationTicket = 0;

export const createRotationSlice: SliceCreator<RotationSlice> = (set, get) => ({
  ...initialRotationState,

  openTimeline: () => {
    set({ timelineAsk: { limits: firstPages(), keep: [] } });
    return get().loadTimeline();
  },

  closeTimeline: () => {
    // (An answer still on its way is dropped too.)
    rotationTicket++;
    set({ timeline: null, timelineAsk: null });
  },

  loadTimeline: async () => {
    const ask = get().timelineAsk;
    if (!ask) return;
    const ticket = ++rotationTicket;
    const r = await call('rotation.timeline', { limits: ask.limits, keep: ask.keep });
    if (ticket !== rotationTicket || get().appState?.phase !== 'unlocked' || !get().timelineAsk) return;
    if (r.ok) set((s) => ({ timeline: r.value, reminders: r.value.reminders, vaultKeyDueAt: r.value.vaultKeyDueAt, dueRefreshes: s.dueRefreshes + 1 }));
    else if (r.error.code === 'VAULT_LOCKED') void get().handleLocked('user');
  },

  showMore: (group) => {
    const ask = get().timelineAsk;
    if (!ask) return Promise.resolve();
    set({ timelineAsk: { ...ask, limits: { ...ask.limits, [group]: ask.limits[group] + TIMELINE_PAGE } } });
    return get().loadTimeline();
  },

  keepInPlace: (item) => {
    const ask = get().timelineAsk;
    if (!ask || ask.keep.some((k) => k.id === item.id)) return;
    const kept = { id: item.id, group: timelineGroupOf(item.status, item.snoozedUntil !== null), dueAt: item.dueAt };
    set({ timelineAsk: { ...ask, keep: [...ask.keep, kept] } });
  },

  release: (id) => {
    const ask = get().timelineAsk;
    if (ask) set({ timelineAsk: { ...ask, keep: ask.keep.filter((k) => k.id !== id) } });
  },

  refreshRotation: async () => {
    if (get().timelineAsk) return get().loadTimeline();
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
