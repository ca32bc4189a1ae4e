/**
 * Incidents the watch over the audit trail opened, the minor anomalies and
 * the thresholds (`incidents.list`), and the count of unresolved incidents
 * the nav badge shows. Loaded at unlock, when main tells of new incidents,
 * when another process changed the vault, and after each change made here.
 * Each `incidents.list` is itself recorded in the trail, so it is asked for
 * on those occasions only, never on a timer.
 */
import type { IncidentsView } from '../../../shared/ipc/contract';
import type { Incident } from '../../../shared/incidents';
import { call, type ErrorInfo } from '../lib/api';
import type { SliceCreator } from './types';

export interface IncidentsState {
  incidents: IncidentsView | null;
  /** The last load failed (shown on the Incidents screen, with a retry). */
  incidentsError: ErrorInfo | null;
  /** Whether resolved incidents are listed too (`incidents.list` with all: true). */
  showResolved: boolean;
  /** Open and acknowledged incidents: the nav badge. */
  unresolvedIncidents: number;
  /** The incident the Incidents screen opens at (a toast's View), until the screen takes it. */
  focusedIncident: string | null;
}

export interface IncidentsSlice extends IncidentsState {
  loadIncidents(): Promise<void>;
  setShowResolved(show: boolean): void;
  /** Main opened incidents: a toast for each (with View) and a fresh list, unless the vault is about to lock. */
  incidentsOpened(incidents: Incident[]): void;
  /** An incident `incidents.update` answered: replaces it in the list (or drops it, resolved and hidden). */
  applyIncident(incident: Incident): void;
  /** Opens the Incidents screen at one incident. */
  viewIncident(id: string): void;
  takeFocusedIncident(): string | null;
}

export const initialIncidentsState: IncidentsState = { incidents: null, incidentsError: null, showResolved: false, unresolvedIncidents: 0, focusedIncident: null };

/** At most this many toasts for one batch of incidents (the toast queue keeps three). */
const TOASTED = 3;
/** A toast names at most this much of an explanation. */
const TOAST_CHARS = 240;

/** Incidents not yet resolved: what the nav badge counts (an acknowledged one is still being looked into). */
export function unresolvedCount(incidents: readonly Pick<Incident, 'status'>[]): number {
  return incidents.filter((i) => i.status !== 'resolved').length;
}

let ticket = 0;

export const createIncidentsSlice: SliceCreator<IncidentsSlice> = (set, get) => ({
  ...initialIncidentsState,

  loadIncidents: async () => {
    const mine = ++ticket;
    const showResolved = get().showResolved;
    const r = await call('incidents.list', showResolved ? { all: true } : {});
    if (mine !== ticket || get().appState?.phase !== 'unlocked') return;
    if (r.ok) set({ incidents: r.value, incidentsError: null, unresolvedIncidents: unresolvedCount(r.value.incidents) });
    // A locked vault is told by the 'locked' event, with its reason (an incident may have locked it):
    // answering it here as a user lock would overwrite that reason.
    else if (r.error.code !== 'VAULT_LOCKED') set({ incidentsError: r.error });
  },

  setShowResolved: (showResolved) => {
    set({ showResolved });
    void get().loadIncidents();
  },

  incidentsOpened: (incidents) => {
    const store = get();
    for (const incident of incidents.slice(-TOASTED)) {
      const text = incident.explanation.length > TOAST_CHARS ? `${incident.explanation.slice(0, TOAST_CHARS)}…` : incident.explanation;
      store.toast('error', `Security incident: ${text}`, { label: 'View', run: () => get().viewIncident(incident.id) });
    }
    // The vault locks right after incidents that say so: asking for the list now would only meet the lock.
    if (incidents.some((i) => i.responses.includes('lock'))) return;
    set((s) => ({ unresolvedIncidents: s.unresolvedIncidents + incidents.length }));
    if (store.appState?.phase === 'unlocked') void store.loadIncidents();
  },

  applyIncident: (incident) =>
    set((s) => {
      if (!s.incidents) return {};
      const incidents = s.incidents.incidents.flatMap((i) => (i.id !== incident.id ? [i] : incident.status === 'resolved' && !s.showResolved ? [] : [incident]));
      return { incidents: { ...s.incidents, incidents }, unresolvedIncidents: unresolvedCount(incidents) };
    }),

  viewIncident: (id) => {
    set({ focusedIncident: id });
    get().setScreen('incidents');
  },

  takeFocusedIncident: () => {
    const id = get().focusedIncident;
    if (id !== null) set({ focusedIncident: null });
    return id;
  },
});
