/**
 * Backups are ordered by generation, not by the clock: a save made while the
 * clock ran ahead (then was set right) must not make `restore-backup` pick an
 * old generation, nor make pruning keep a future-dated old file over newer ones.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/ports/clock.js';
import { nodeFileSystem } from '../core/ports/file-system.js';
import { Backups } from '../core/vault/backups.js';
import { restoreBackupFile, unlockVault } from '../core/vault/vault-session.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { createTestVault, distinctiveSecret } from './helpers/builders.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();

const DAY = 24 * 60 * 60 * 1000;
const generationOf = (file: string) => Number(/\.g(\d+)\.keyward$/.exec(file)![1]);

/** A vault saved 14 times (generations 1…14); the save of generation 3 ran 40 days ahead. */
async function vaultWithClockJump() {
  const clock = new FakeClock(new Date('2026-03-01T12:00:00Z'));
  const v = await createTestVault(await tempDir(), { deps: { clock } }); // generation 1
  const add = (name: string) => v.service.add({ name, type: 'secret' }, { value: distinctiveSecret(name) });
  await add('c2'); // writes generation 2, preserves generation 1
  clock.advance(40 * DAY); // the clock runs ahead…
  await add('c3'); // writes 3, preserves 2 under a stamp 40 days in the future
  clock.set('2026-03-01T12:05:00Z'); // …and is set right again
  for (let g = 4; g <= 14; g++) {
    clock.advance(1_000);
    await add(`c${g}`); // writes g, preserves g - 1
  }
  v.session.lock();
  return { ...v, clock, paths: vaultPaths(v.path) };
}

describe('backups under a clock that jumps ahead and back', () => {
  it('pruning keeps the ten highest generations, not the future-dated old one', async () => {
    const v = await vaultWithClockJump();
    const files = await readdir(v.paths.backupsDir);
    expect(files.map(generationOf).sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const backups = new Backups(v.deps.fs, v.clock, v.paths);
    expect((await backups.list()).map((b) => generationOf(b.file))).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4]);
    expect((await backups.listIntact()).map((b) => generationOf(b.file))).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4]);
  });

  it('restore-backup (no file named) restores the highest generation', async () => {
    const v = await vaultWithClockJump();
    const restored = await restoreBackupFile(v.path, undefined, v.deps);
    expect(generationOf(restored)).toBe(13);
    const reopened = await unlockVault(v.path, { password: v.password }, v.deps);
    expect(reopened.state.credentials).toHaveLength(12); // c2 … c13
    expect(reopened.state.credentials.map((c) => c.name)).toContain('c13');
    reopened.lock();
  });
});

describe('Backups ordering and pruning (unit)', () => {
  async function setup() {
    const dir = await tempDir();
    const clock = new FakeClock(new Date('2026-05-01T00:00:00Z'));
    const paths = vaultPaths(join(dir, 'v.keyward'));
    await writeFile(paths.vault, 'not a real vault: list() and prune() only look at names');
    return { clock, paths, backups: new Backups(nodeFileSystem, clock, paths) };
  }

  it('lists newest generation first whatever the stamps say', async () => {
    const { clock, backups } = await setup();
    await backups.preserveCurrent(1);
    clock.advance(3 * DAY);
    await backups.preserveCurrent(2); // future-dated
    clock.advance(-3 * DAY + 1_000);
    await backups.preserveCurrent(3);
    await backups.preserveCurrent(9); // a generation gap does not matter
    clock.advance(-10 * DAY);
    await backups.preserveCurrent(10); // dated in the past
    const listed = await backups.list();
    expect(listed.map((b) => generationOf(b.file))).toEqual([10, 9, 3, 2, 1]);
    expect(listed[0]!.createdAt).toBe('2026-04-21T00:00:01.000Z');
  });

  it('reports the generation of each backup', async () => {
    const { backups } = await setup();
    await backups.preserveCurrent(7);
    await backups.preserveCurrent(123_456_789); // more than the 8 padded digits
    expect((await backups.list()).map((b) => b.generation)).toEqual([123_456_789, 7]);
  });

  it('orders equal generations by stamp, newest first', async () => {
    const { clock, backups } = await setup();
    await backups.preserveCurrent(5);
    clock.advance(1_000);
    await backups.preserveCurrent(5);
    clock.advance(1_000);
    await backups.preserveCurrent(4);
    const listed = await backups.list();
    expect(listed.map((b) => [generationOf(b.file), b.createdAt])).toEqual([
      [5, '2026-05-01T00:00:01.000Z'],
      [5, '2026-05-01T00:00:00.000Z'],
      [4, '2026-05-01T00:00:02.000Z'],
    ]);
  });

  it('prunes the lowest generations, keeping future-dated old ones no longer', async () => {
    const { clock, paths, backups } = await setup();
    clock.advance(365 * DAY);
    await backups.preserveCurrent(1); // a year in the future
    clock.set('2026-05-01T00:00:00Z');
    for (let g = 2; g <= 6; g++) {
      clock.advance(1_000);
      await backups.preserveCurrent(g);
    }
    await backups.prune(3);
    expect((await readdir(paths.backupsDir)).map(generationOf).sort()).toEqual([4, 5, 6]);
    await backups.prune(0); // at least one is always kept
    expect((await readdir(paths.backupsDir)).map(generationOf)).toEqual([6]);
  });
});

describe('backup names', () => {
  it('the same generation preserved twice within one millisecond gets the next millisecond, not a failed save', async () => {
    const clock = new FakeClock(new Date('2026-03-01T12:00:00Z'));
    const v = await createTestVault(await tempDir(), { deps: { clock } });
    const backups = new Backups(nodeFileSystem, clock, vaultPaths(v.path));
    expect(await backups.preserveCurrent(1)).toBe('2026-03-01T12-00-00-000Z.g00000001.keyward');
    expect(await backups.preserveCurrent(1)).toBe('2026-03-01T12-00-00-001Z.g00000001.keyward');
    expect((await readdir(vaultPaths(v.path).backupsDir)).sort()).toEqual(['2026-03-01T12-00-00-000Z.g00000001.keyward', '2026-03-01T12-00-00-001Z.g00000001.keyward']);
    v.session.lock();
  });
});

