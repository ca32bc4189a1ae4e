/**
 * Undo of a delete and of "rotated at the provider", over a real vault file:
 * what comes back is what was stored (reopened from disk), each undo is
 * audited, and an undo is refused once too late, twice, or when it would
 * clobber a later change.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../ports/clock.js';
import { RotationService } from '../rotation/rotation-service.js';
import { unlockVault } from '../vault/vault-session.js';
import { createTestVault, distinctiveSecret, testDeps, testService } from '../../test/helpers/builders.js';
import { useTempDirs } from '../../test/helpers/temp-dirs.js';
import { removeKeepingUndo, UNDO_LIFETIME_MS, UndoBuffer, undoRemove } from './undo-buffer.js';

const tempDir = useTempDirs();

async function vaultWithClock() {
  const clock = new FakeClock(new Date('2026-03-01T10:00:00Z'));
  const v = await createTestVault(await tempDir(), { deps: { clock } });
  return { ...v, clock, undo: new UndoBuffer(clock) };
}

describe('undo of a delete', () => {
  it('puts the credential back where it was, as stored, and records it', async () => {
    const v = await vaultWithClock();
    const value = distinctiveSecret();
    await v.service.add({ name: 'first', type: 'secret' }, { value: distinctiveSecret() });
    const doomed = await v.service.add({ name: 'second', type: 'password', fields: { username: 'me@example.com' } }, { value });
    await v.service.rotate('second', { value: distinctiveSecret() });
    await v.service.add({ name: 'third', type: 'secret' }, { value: distinctiveSecret() });

    await removeKeepingUndo(v.service, v.undo, 'second');
    expect((await v.service.list()).map((c) => c.name)).toEqual(['first', 'third']);
    const back = await undoRemove(v.service, v.undo, doomed.id);
    expect(back.id).toBe(doomed.id);
    expect(back.versions).toHaveLength(2);

    v.session.lock();
    const session = await unlockVault(v.path, { password: v.password }, testDeps());
    const service = testService(session);
    expect(session.state.credentials.map((c) => c.name)).toEqual(['first', 'second', 'third']);
    expect(await service.reveal('second', 1)).toBe(value);
    expect((await service.show('second')).fields).toMatchObject({ username: 'me@example.com' });
    expect(v.audit.events.map((r) => `${r.action}:${r.outcome}`)).toContain('remove.undo:success');
    session.lock();
  });

  it('is refused after its lifetime, a second time, and when the name was taken meanwhile', async () => {
    const v = await vaultWithClock();
    const a = await v.service.add({ name: 'alpha', type: 'secret' }, { value: distinctiveSecret() });
    const b = await v.service.add({ name: 'beta', type: 'secret' }, { value: distinctiveSecret() });

    await removeKeepingUndo(v.service, v.undo, a.id);
    v.clock.advance(UNDO_LIFETIME_MS + 1);
    await expect(undoRemove(v.service, v.undo, a.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await removeKeepingUndo(v.service, v.undo, b.id);
    await v.service.add({ name: 'BETA', type: 'secret' }, { value: distinctiveSecret() });
    await expect(undoRemove(v.service, v.undo, b.id)).rejects.toMatchObject({ code: 'EXISTS' });
    await v.service.remove('BETA');
    // A refused undo keeps its chance while the toast is up.
    await undoRemove(v.service, v.undo, b.id);
    await expect(undoRemove(v.service, v.undo, b.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await v.service.list()).map((c) => c.name)).toEqual(['beta']);
    v.session.lock();
  });
});

describe('undo of "rotated at the provider"', () => {
  it('restores the last-rotated date, the snooze and the run list', async () => {
    const v = await vaultWithClock();
    const rotation = new RotationService(v.service, { undo: v.undo });
    await v.service.add({ name: 'key', type: 'secret' }, { value: distinctiveSecret() });
    await rotation.snooze('key', new Date('2026-03-05T00:00:00Z'));
    const before = await v.service.show('key');
    v.clock.advance(60_000);
    const marked = await rotation.markRotated('key');
    expect(marked.lastRotatedAt).toBe('2026-03-01T10:01:00.000Z');

    const undone = await rotation.undoMarkRotated('key');
    expect(undone.lastRotatedAt).toBe(before.lastRotatedAt);
    expect(undone.rotation.snoozedUntil).toBe('2026-03-05T00:00:00.000Z');
    expect(undone.rotation.runs).toEqual(before.rotation.runs);
    await expect(rotation.undoMarkRotated('key')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(v.audit.events.map((r) => `${r.action}:${r.outcome}`)).toContain('rotate.marked.undo:success');
    v.session.lock();
  });

  it('is refused when the credential was rotated again since', async () => {
    const v = await vaultWithClock();
    const rotation = new RotationService(v.service, { undo: v.undo });
    await v.service.add({ name: 'key', type: 'secret' }, { value: distinctiveSecret() });
    await rotation.markRotated('key');
    v.clock.advance(1_000);
    await v.service.rotate('key', { value: distinctiveSecret() });
    await expect(rotation.undoMarkRotated('key')).rejects.toMatchObject({ code: 'EXISTS' });
    v.session.lock();
  });
});
