/**
 * The store's slices through the real bound store, with a fake client on
 * `window` standing in for main: what each action leaves in the store.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../shared/errors';
import type { AppState, KeywardClient, Method, Request, Response } from '../../../shared/ipc/contract';
import { detail, summary } from '../test/builders';
import { summaryOf } from './credential-list';
import { initialState, useStore } from './index';
import { enqueueToast, MAX_TOASTS, type Toast } from './ui-slice';

type Answers = { [M in Method]?: (request: Request<M>) => Result<Response<M>> };

function appState(phase: AppState['phase']): AppState {
  return { phase, vaultPath: '/tmp/v.keyward', vaultUsesKeychain: false, keychainUnavailableReason: null, vault: null, settings: null, lastLock: null, problem: null };
}

/** Main as the store sees it: answers per method, and a record of every call. */
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

beforeEach(() => useStore.setState({ ...initialState }));
afterEach(() => vi.unstubAllGlobals());

describe('toasts', () => {
  const toast = (id: number, message: string): Toast => ({ id, kind: 'info', message });

  it('keep only the newest few, and a repeated message replaces the one showing', () => {
    let queue: Toast[] = [];
    for (let i = 1; i <= MAX_TOASTS + 2; i++) queue = enqueueToast(queue, toast(i, `m${i}`));
    expect(queue.map((t) => t.id)).toEqual([3, 4, 5]);
    queue = enqueueToast(queue, toast(6, 'm3'));
    expect(queue.map((t) => [t.id, t.message])).toEqual([
      [4, 'm4'],
      [5, 'm5'],
      [6, 'm3'],
    ]);
  });

  it('show an error by its message, never more', () => {
    useStore.getState().toastError({ code: 'NOT_FOUND', message: 'No credential named "x".' });
    expect(useStore.getState().toasts).toEqual([{ id: expect.any(Number), kind: 'error', message: 'No credential named "x".' }]);
  });
});

describe('the clipboard slice', () => {
  it('mirrors what was copied (a label, never the value) and when main will clear it', async () => {
    const clearsAt = new Date(Date.now() + 30_000).toISOString();
    fakeMain({ 'credentials.copy': () => ({ ok: true, value: { clearsAt, clearAfterSeconds: 30 } }) });
    await useStore.getState().copyToClipboard({ id: 'c1', name: 'github-prod' }, { field: 'username' }, 'Username');
    expect(useStore.getState().clipboard).toEqual({ label: 'Username of github-prod', credentialId: 'c1', target: 'username', deadline: Date.parse(clearsAt) });
    useStore.getState().clipboardCleared();
    expect(useStore.getState().clipboard).toBeNull();
  });

  it('drops everything when main says the vault is locked', async () => {
    fakeMain({ 'credentials.copy': () => ({ ok: false, error: { code: 'VAULT_LOCKED', message: 'Locked.' } }), 'app.state': () => ({ ok: true, value: appState('locked') }) });
    useStore.setState({ credentials: [summary()], appState: appState('unlocked') });
    await useStore.getState().copyToClipboard({ id: 'c1', name: 'n' }, 'value', 'Secret key');
    await vi.waitFor(() => expect(useStore.getState().appState?.phase).toBe('locked'));
    expect(useStore.getState()).toMatchObject({ credentials: [], clipboard: null, lastLockReason: 'user' });
  });

  it('shows any other refusal as a toast', async () => {
    fakeMain({ 'credentials.copy': () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'Gone.' } }) });
    await useStore.getState().copyToClipboard({ id: 'c1', name: 'n' }, 'value', 'Secret key');
    expect(useStore.getState().clipboard).toBeNull();
    expect(useStore.getState().toasts.map((t) => t.message)).toEqual(['Gone.']);
  });
});

describe('the session slice', () => {
  it('locking drops everything the renderer held of the vault', async () => {
    const locked = { ...appState('locked'), lastLock: { reason: 'user' as const, at: '2026-06-01T12:00:00.000Z' } };
    fakeMain({ 'vault.lock': () => ({ ok: true, value: locked }) });
    const open = detail();
    useStore.setState({
      appState: appState('unlocked'),
      credentials: [summaryOf(open)],
      selectedId: open.id,
      detail: open,
      dialog: { kind: 'rotate', id: open.id },
      clipboard: { label: 'Secret key of n', credentialId: open.id, target: 'value', deadline: Date.now() + 5000 },
      screen: 'health',
      healthWanted: true,
      reminders: 2,
    });
    await useStore.getState().lock();
    const { appState: now, lastLockReason, credentials, selectedId, detail: shown, dialog, clipboard, screen, healthWanted, reminders } = useStore.getState();
    expect({ now, lastLockReason, credentials, selectedId, shown, dialog, clipboard, screen, healthWanted, reminders }).toEqual({
      now: locked,
      lastLockReason: 'user',
      credentials: [],
      selectedId: null,
      shown: null,
      dialog: null,
      clipboard: null,
      screen: 'vault',
      healthWanted: false,
      reminders: 0,
    });
  });

  it('loads the list once the vault becomes unlocked, sorted by name', async () => {
    const calls = fakeMain({ 'credentials.list': () => ({ ok: true, value: [summary({ name: 'b' }), summary({ name: 'a' })] }) });
    useStore.getState().setAppState(appState('unlocked'));
    await vi.waitFor(() => expect(useStore.getState().listLoaded).toBe(true));
    expect(useStore.getState().credentials.map((c) => c.name)).toEqual(['a', 'b']);
    useStore.getState().setAppState(appState('unlocked'));
    expect(calls.filter((c) => c.method === 'credentials.list')).toHaveLength(1);
  });

  it('keeps the reason main could not even say where it is', async () => {
    fakeMain({ 'app.state': () => ({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong.' } }) });
    await useStore.getState().loadAppState();
    expect(useStore.getState().startupError).toBe('Something went wrong.');
  });
});

describe('the vault slice', () => {
  it('a write puts the credential in its place and refreshes the open detail', async () => {
    const before = detail({ name: 'b' });
    const after = { ...before, name: 'z', currentVersion: 2 };
    fakeMain({ 'credentials.rotate': () => ({ ok: true, value: after }) });
    const other = summary({ name: 'c' });
    useStore.setState({ credentials: [summaryOf(before), other], selectedId: before.id, detail: before });
    const r = await useStore.getState().rotateCredential(before.id, { generate: true });
    expect(r.ok).toBe(true);
    expect(useStore.getState().credentials.map((c) => c.name)).toEqual(['c', 'z']);
    expect(useStore.getState().detail).toBe(after);
  });

  it('a removal drops the row and the selection on it', async () => {
    const gone = summary();
    const kept = summary();
    fakeMain({ 'credentials.remove': (r) => ({ ok: true, value: { id: r.id } }) });
    useStore.setState({ credentials: [gone, kept], selectedId: gone.id, detail: detail({ id: gone.id }) });
    await useStore.getState().removeCredential(gone.id);
    expect(useStore.getState()).toMatchObject({ credentials: [kept], selectedId: null, detail: null });
  });

  it('filters change one key at a time and clear all at once', () => {
    useStore.getState().setFilter('tag', 'prod');
    useStore.getState().setFilter('status', 'inactive');
    expect(useStore.getState().filters).toEqual({ query: '', type: '', provider: '', tag: 'prod', status: 'inactive' });
    useStore.getState().clearFilters();
    expect(useStore.getState().filters).toEqual({ query: '', type: '', provider: '', tag: '', status: 'all' });
  });
});

describe('the health and rotation slice', () => {
  it('applies a credential a rotation call returned to its row and the open detail', () => {
    const open = detail({ name: 'n' });
    useStore.setState({ credentials: [summaryOf(open)], selectedId: open.id, detail: open });
    const snoozed = { ...open, rotation: { ...open.rotation, snoozedUntil: '2026-07-01T00:00:00.000Z' }, updatedAt: '2026-06-02T00:00:00.000Z' };
    useStore.getState().applyDetail({ ok: true, value: snoozed });
    expect(useStore.getState().detail).toBe(snoozed);
    expect(useStore.getState().credentials[0]).toMatchObject({ id: open.id, updatedAt: '2026-06-02T00:00:00.000Z' });
  });

  const policy = { defaults: { intervalDays: 90, maxAgeDays: 365, reminderLeadDays: 7 }, byType: {}, byProvider: {} };
  const page = (total: number) => ({ total, items: [] });
  const timeline = { groups: { overdue: page(1), due_soon: page(0), snoozed: page(0), upcoming: page(3) }, policy, vaultKeyDueAt: '2027-01-01T00:00:00.000Z', reminders: 4 };

  it('ignores a timeline that arrives after the vault locked', async () => {
    fakeMain({ 'rotation.timeline': () => ({ ok: true, value: timeline }) });
    useStore.setState({ appState: appState('locked') });
    await useStore.getState().openTimeline();
    expect(useStore.getState()).toMatchObject({ timeline: null, reminders: 0 });
    useStore.setState({ appState: appState('unlocked') });
    await useStore.getState().loadTimeline();
    expect(useStore.getState()).toMatchObject({ reminders: 4 });
  });

  it('asks for the timeline only while the Rotation screen shows it; elsewhere a refresh asks for the count', async () => {
    const calls = fakeMain({
      'rotation.timeline': () => ({ ok: true, value: timeline }),
      'rotation.status': () => ({ ok: true, value: { reminders: 2, vaultKeyDueAt: '2027-02-01T00:00:00.000Z' } }),
    });
    useStore.setState({ appState: appState('unlocked') });
    const methods = () => calls.map((c) => c.method);

    await useStore.getState().refreshRotation();
    expect(methods()).toEqual(['rotation.status']);
    expect(useStore.getState()).toMatchObject({ timeline: null, reminders: 2, vaultKeyDueAt: '2027-02-01T00:00:00.000Z', dueRefreshes: 1 });

    // The Rotation screen opens: a refresh asked before its timeline answers still ends with the timeline.
    const opening = useStore.getState().openTimeline();
    const refreshing = useStore.getState().refreshRotation();
    await Promise.all([opening, refreshing]);
    expect(methods()).toEqual(['rotation.status', 'rotation.timeline', 'rotation.timeline']);
    expect(useStore.getState()).toMatchObject({ reminders: 4, vaultKeyDueAt: '2027-01-01T00:00:00.000Z', dueRefreshes: 2 });
    expect(useStore.getState().timeline?.policy).toEqual(policy);

    // It closes: the timeline goes, and refreshes ask for the count again.
    useStore.getState().closeTimeline();
    expect(useStore.getState().timeline).toBeNull();
    await useStore.getState().refreshRotation();
    expect(methods().at(-1)).toBe('rotation.status');
    expect(useStore.getState()).toMatchObject({ timeline: null, reminders: 2, dueRefreshes: 3 });
  });

  it('asks for what the screen shows: a page more of one group, and the cards kept in place until it closes', async () => {
    const calls = fakeMain({ 'rotation.timeline': () => ({ ok: true, value: timeline }) });
    useStore.setState({ appState: appState('unlocked') });
    await useStore.getState().openTimeline();
    await useStore.getState().showMore('upcoming');
    const marked = { id: 'c1', name: 'a', type: 'api_key', provider: '', dueAt: '2026-05-01T00:00:00.000Z', reason: 'rotation_interval', status: 'overdue', remindAt: '2026-04-24T00:00:00.000Z', snoozedUntil: null, lastRotatedAt: null, rules: policy.defaults, hasRotator: false } as const;
    useStore.getState().keepInPlace(marked);
    useStore.getState().keepInPlace(marked);
    await useStore.getState().refreshRotation();
    expect(calls.map((c) => c.request)).toEqual([
      { limits: { overdue: 50, due_soon: 50, snoozed: 50, upcoming: 50 }, keep: [] },
      { limits: { overdue: 50, due_soon: 50, snoozed: 50, upcoming: 100 }, keep: [] },
      { limits: { overdue: 50, due_soon: 50, snoozed: 50, upcoming: 100 }, keep: [{ id: 'c1', group: 'overdue', dueAt: '2026-05-01T00:00:00.000Z' }] },
    ]);
    useStore.getState().release('c1');
    expect(useStore.getState().timelineAsk?.keep).toEqual([]);
    // Opened again: first pages, nothing kept.
    useStore.getState().closeTimeline();
    await useStore.getState().openTimeline();
    expect(calls.at(-1)!.request).toEqual({ limits: { overdue: 50, due_soon: 50, snoozed: 50, upcoming: 50 }, keep: [] });
  });
});
