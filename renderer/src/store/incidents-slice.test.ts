/**
 * The incidents slice through the real bound store, with a fake client on
 * `window` standing in for main: the badge count, the toasts when incidents
 * open, and a lock that an incident caused keeping its reason.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../shared/errors';
import type { Incident } from '../../../shared/incidents';
import type { AppState, DetectionRulesView, IncidentsView, KeywardClient, Method, Request, Response } from '../../../shared/ipc/contract';
import { initialState, useStore } from './index';
import { unresolvedCount } from './incidents-slice';

type Answers = { [M in Method]?: (request: Request<M>) => Result<Response<M>> };

function fakeMain(answers: Answers) {
  const calls: Array<{ method: Method; request: unknown }> = [];
  const client: KeywardClient = {
    call: async (method, request) => {
      calls.push({ method, request });
      const answer = answers[method] as ((r: typeof request) => Result<Response<typeof method>>) | undefined;
      return answer ? answer(request) : { ok: false, error: { code: 'INTERNAL', message: `no answer for ${method}` } };
    },
    onEvent: () => () => undefined,
  };
  vi.stubGlobal('window', { keyward: client });
  return calls;
}

const unlocked = { phase: 'unlocked', vaultPath: '/tmp/v.keyward', vaultUsesKeychain: false, keychainUnavailableReason: null, vault: null, settings: null, lastLock: null, problem: null } as unknown as AppState;

let n = 0;
function incident(overrides: Partial<Incident> = {}): Incident {
  n++;
  return {
    id: `inc-${String(n).padStart(12, '0')}`,
    kind: 'burst',
    severity: 'high',
    at: '2026-12-07T05:00:00.000Z',
    explanation: `"stripe/prod" was read 21 times within 10 minutes; the limit is 20.`,
    seqs: [1, 2],
    status: 'open',
    openedAt: '2026-12-07T05:00:00.000Z',
    responses: ['notify'],
    notes: [],
    ...overrides,
  };
}

const rules = {} as DetectionRulesView;
const view = (incidents: Incident[]): IncidentsView => ({ incidents, anomalies: [], rules });

beforeEach(() => useStore.setState({ ...initialState, appState: unlocked }));
afterEach(() => vi.unstubAllGlobals());

describe('unresolvedCount', () => {
  it('counts open and acknowledged incidents, not resolved ones', () => {
    expect(unresolvedCount([])).toBe(0);
    expect(unresolvedCount([{ status: 'open' }, { status: 'acknowledged' }, { status: 'resolved' }])).toBe(2);
  });
});

describe('the incidents slice', () => {
  it('loads the list and counts the unresolved incidents; "Show resolved" asks for all', async () => {
    const calls = fakeMain({ 'incidents.list': (r) => ({ ok: true, value: view(r.all ? [incident({ status: 'resolved' }), incident()] : [incident()]) }) });
    await useStore.getState().loadIncidents();
    expect(useStore.getState()).toMatchObject({ unresolvedIncidents: 1, incidentsError: null });
    useStore.getState().setShowResolved(true);
    await vi.waitFor(() => expect(useStore.getState().incidents?.incidents).toHaveLength(2));
    expect(useStore.getState().unresolvedIncidents).toBe(1);
    expect(calls.map((c) => c.request)).toEqual([{}, { all: true }]);
  });

  it('keeps a failed load to show on the screen, but leaves a locked vault to the lock event and its reason', async () => {
    fakeMain({ 'incidents.list': () => ({ ok: false, error: { code: 'AUDIT_UNAVAILABLE', message: 'The audit trail cannot be read.' } }) });
    await useStore.getState().loadIncidents();
    expect(useStore.getState().incidentsError?.message).toBe('The audit trail cannot be read.');

    useStore.setState({ incidentsError: null, lastLockReason: 'incident' });
    fakeMain({ 'incidents.list': () => ({ ok: false, error: { code: 'VAULT_LOCKED', message: 'Locked.' } }) });
    await useStore.getState().loadIncidents();
    expect(useStore.getState()).toMatchObject({ incidentsError: null, lastLockReason: 'incident', appState: unlocked });
  });

  it('toasts each incident that opens, with View opening the Incidents screen at it, and reloads the list', async () => {
    const opened = incident({ explanation: 'x'.repeat(400) });
    const calls = fakeMain({ 'incidents.list': () => ({ ok: true, value: view([opened]) }) });
    useStore.getState().incidentsOpened([opened]);
    const [t] = useStore.getState().toasts;
    expect(t).toMatchObject({ kind: 'error', action: { label: 'View' } });
    expect(t!.message).toBe(`Security incident: ${'x'.repeat(240)}…`);
    expect(useStore.getState().unresolvedIncidents).toBe(1);
    await vi.waitFor(() => expect(calls).toHaveLength(1));

    await t!.action!.run();
    expect(useStore.getState()).toMatchObject({ screen: 'incidents', focusedIncident: opened.id });
    expect(useStore.getState().takeFocusedIncident()).toBe(opened.id);
    expect(useStore.getState().focusedIncident).toBeNull();
  });

  it('does not ask for the list when the incident locks the vault', () => {
    const calls = fakeMain({});
    useStore.getState().incidentsOpened([incident({ kind: 'sweep', responses: ['notify', 'lock'] })]);
    expect(useStore.getState().toasts).toHaveLength(1);
    expect(calls).toHaveLength(0);
  });

  it('applies an update: acknowledged stays listed, resolved leaves unless resolved ones are shown', () => {
    const a = incident();
    const b = incident();
    useStore.setState({ incidents: view([a, b]), unresolvedIncidents: 2 });
    useStore.getState().applyIncident({ ...a, status: 'acknowledged' });
    expect(useStore.getState().incidents?.incidents.map((i) => i.status)).toEqual(['acknowledged', 'open']);
    expect(useStore.getState().unresolvedIncidents).toBe(2);
    useStore.getState().applyIncident({ ...a, status: 'resolved' });
    expect(useStore.getState().incidents?.incidents.map((i) => i.id)).toEqual([b.id]);
    expect(useStore.getState().unresolvedIncidents).toBe(1);

    useStore.setState({ incidents: view([b]), showResolved: true });
    useStore.getState().applyIncident({ ...b, status: 'resolved' });
    expect(useStore.getState().incidents?.incidents.map((i) => i.status)).toEqual(['resolved']);
    expect(useStore.getState().unresolvedIncidents).toBe(0);
  });

  it('holds nothing after a lock', () => {
    useStore.setState({ incidents: view([incident()]), unresolvedIncidents: 1, showResolved: true });
    useStore.getState().resetAll();
    expect(useStore.getState()).toMatchObject({ incidents: null, unresolvedIncidents: 0, showResolved: false, focusedIncident: null });
  });
});
