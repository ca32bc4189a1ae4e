/**
 * Format v2 as the session uses it (docs/vault-format.md part II): a save
 * writes the change and not the vault, a torn last record is dropped and cut
 * off, another process's records are read incrementally, the log is compacted,
 * a v1 vault is upgraded on its first save, and a credential can change only
 * in ways the change records.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFileSystem, type FileSystem } from '../core/ports/file-system.js';
import { FakeClock } from '../core/ports/clock.js';
import { readVaultFile } from '../core/vault/format/index.js';
import type { StoredCredential } from '../core/vault/body.js';
import { appendCredentials, editCredential } from '../core/vault/vault-change.js';
import { restoreBackupFile, unlockVault, type VaultSession } from '../core/vault/vault-session.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { seenAccount } from '../core/vault/seen-generations.js';
import { MemoryKeychain } from '../core/keychain/keychain.js';
import { createTestVault, distinctiveSecret, testDeps, testService } from './helpers/builders.js';
import { GOLDEN_CREDENTIALS, GOLDEN_DIR, GOLDEN_PASSWORD, GOLDEN_VAULT } from './helpers/golden-v1.js';
import { useTempDirs } from './helpers/temp-dirs.js';
import { CliVault } from './helpers/cli.js';
import { rewriteAsV1 } from './helpers/v1-file.js';
import { framesOf } from './helpers/vault-file.js';

const tempDir = useTempDirs();

/** The real file system, counting what each save and refresh reads and writes. */
function countingFs() {
  const counts = { wholeReads: 0, tailReads: 0, appendedBytes: [] as number[], rewrites: 0 };
  const fs: FileSystem = {
    ...nodeFileSystem,
    readFile: async (path) => {
      if (path.endsWith('.keyward')) counts.wholeReads++;
      return nodeFileSystem.readFile(path);
    },
    readFrom: async (path, offset) => {
      counts.tailReads++;
      return nodeFileSystem.readFrom(path, offset);
    },
    writeAt: async (path, offset, data, guard) => {
      counts.appendedBytes.push(data.reduce((n, b) => n + b.length, 0));
      return nodeFileSystem.writeAt(path, offset, data, guard);
    },
    writeFileAtomic: async (path, data, options) => {
      counts.rewrites++;
      return nodeFileSystem.writeFileAtomic(path, data, options);
    },
  };
  return { fs, counts };
}

describe('a save costs the change, not the vault', () => {
  it('adding one credential appends the same few hundred bytes to a vault of 10 or of 2,000 credentials, and rewrites nothing', async () => {
    const appended: number[] = [];
    for (const size of [10, 2000]) {
      const { fs, counts } = countingFs();
      const v = await createTestVault(await tempDir(), { deps: { fs } });
      await seed(v.session, size);
      const before = await readFile(v.path);
      counts.appendedBytes.length = 0;
      const rewritesBefore = counts.rewrites;
      await v.service.add({ name: 'one more', type: 'secret' }, { value: distinctiveSecret() });
      expect(counts.rewrites, `${size}: rewrites`).toBe(rewritesBefore);
      expect(counts.appendedBytes).toHaveLength(1);
      appended.push(counts.appendedBytes[0]!);
      const after = await readFile(v.path);
      // The file before the save is a prefix of the file after it: nothing earlier was touched.
      expect(after.subarray(0, before.length).equals(before)).toBe(true);
      expect(after.length - before.length).toBe(counts.appendedBytes[0]);
      v.session.lock();
    }
    // The record holds one credential and the body's small members, whatever the vault's size.
    expect(appended[0]).toBeLessThan(2048);
    expect(Math.abs(appended[1]! - appended[0]!)).toBeLessThan(64);
  });
});

/** `count` plain credentials in one save, through the tracked API (as the seeders do). */
async function seed(session: VaultSession, count: number): Promise<void> {
  const now = new Date().toISOString();
  await session.transact((body) => {
    const credentials: StoredCredential[] = Array.from({ length: count }, (_, i) => {
      const id = randomUUID();
      return {
        id,
        name: `seeded-${i}`,
        type: 'secret',
        provider: '',
        description: '',
        tags: [],
        active: true,
        createdAt: now,
        updatedAt: now,
        lastRotatedAt: null,
        expiresAt: null,
        fields: {},
        versions: [{ version: 1, createdAt: now, stage: 'current', origin: 'initial', ...session.sealValue(id, 1, `value-${i}`) }],
      };
    });
    appendCredentials(body, credentials);
    body.encryptions.secrets += count;
  });
}

/** A locked vault holding "kept" and then `name`, each added by its own save; the file, and where its last record lies. */
async function keptThenOneMore(name: string) {
  const v = await createTestVault(await tempDir());
  await v.service.add({ name: 'kept', type: 'secret' }, { value: 'k' });
  await v.service.add({ name, type: 'secret' }, { value: name });
  v.session.lock();
  const whole = await readFile(v.path);
  return { v, whole, last: framesOf(whole).at(-1)! };
}

describe('a torn last record (a save a crash cut short)', () => {
  it('is dropped by the reader and cut off by the next writer, which appends in its place', async () => {
    const { v, whole, last } = await keptThenOneMore('torn');
    // The crash: the file ends 20 bytes into the record of the last add.
    await writeFile(v.path, whole.subarray(0, last.start + 20));

    const session = await unlockVault(v.path, { password: v.password }, testDeps());
    expect(session.state.credentials.map((c) => c.name)).toEqual(['kept']);
    expect(readVaultFile(await readFile(v.path)).log).toMatchObject({ tornBytes: 20 });
    await testService(session).add({ name: 'after', type: 'secret' }, { value: 'a' });
    session.lock();

    const repaired = await readFile(v.path);
    expect(readVaultFile(repaired).log!.tornBytes).toBe(0);
    expect(framesOf(repaired).map((f) => f.start)).toEqual(framesOf(whole).map((f) => f.start));
    const again = await unlockVault(v.path, { password: v.password }, testDeps());
    expect(again.state.credentials.map((c) => c.name)).toEqual(['kept', 'after']);
    expect(await testService(again).reveal('after')).toBe('a');
    again.lock();
  });
});

describe('another process’s saves', () => {
  it('are read incrementally: only the appended bytes, checked after the last record this session holds', async () => {
    const { fs, counts } = countingFs();
    const v = await createTestVault(await tempDir(), { deps: { fs } });
    await v.service.add({ name: 'mine', type: 'secret' }, { value: 'm' });
    const other = await unlockVault(v.path, { password: v.password }, testDeps());
    const theirs = testService(other);
    for (const name of ['t1', 't2', 't3']) await theirs.add({ name, type: 'secret' }, { value: name });
    await theirs.remove('t2');

    const whole = counts.wholeReads;
    expect(await v.session.refresh()).toBe(true);
    expect(counts.wholeReads).toBe(whole);
    expect(counts.tailReads).toBeGreaterThan(0);
    expect(v.session.state.credentials.map((c) => c.name)).toEqual(['mine', 't1', 't3']);
    expect(v.session.info.generation).toBe(other.info.generation);
    expect(await v.service.reveal('t3')).toBe('t3');
    // And this session's next save chains after their records.
    await v.service.add({ name: 'mine2', type: 'secret' }, { value: 'm2' });
    await other.refresh();
    expect(other.state.credentials.map((c) => c.name)).toEqual(['mine', 't1', 't3', 'mine2']);
    other.lock();
    v.session.lock();
  });

  it('a file replaced meanwhile (another process compacted or upgraded it) is read whole, and saving continues', async () => {
    const v = await createTestVault(await tempDir());
    await v.service.add({ name: 'a', type: 'secret' }, { value: 'a' });
    const other = await unlockVault(v.path, { password: v.password }, testDeps());
    await testService(other).add({ name: 'b', type: 'secret' }, { value: 'b' });
    await other.compactNow({ force: true });
    other.lock();
    expect(framesOf(await readFile(v.path))).toHaveLength(1);
    await v.service.add({ name: 'c', type: 'secret' }, { value: 'c' });
    expect(v.session.state.credentials.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    v.session.lock();
    const again = await unlockVault(v.path, { password: v.password }, testDeps());
    expect(again.state.credentials.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    again.lock();
  });
});

describe('compaction', () => {
  it('past the hard limit, inside the save: one snapshot again, the longer file kept as a backup, nothing lost', async () => {
    const v = await createTestVault(await tempDir());
    // Each rotation carries the credential whole: 1.1 MiB of log after a few dozen big values.
    await v.service.add({ name: 'big', type: 'secret' }, { value: 'x'.repeat(100_000) });
    let rotations = 0;
    while (framesOf(await readFile(v.path)).length > 1 || rotations === 0) {
      await v.service.rotate('big', { value: `${rotations}`.padEnd(100_000, 'y') });
      rotations++;
      if (rotations > 40) throw new Error('never compacted');
    }
    // Each record carries the credential whole, its growing history included: a few rotations pass 1 MiB.
    expect(rotations).toBeGreaterThanOrEqual(2);
    const backupsDir = vaultPaths(v.path).backupsDir;
    const backups = await Promise.all((await readdir(backupsDir)).map((f) => readFile(join(backupsDir, f))));
    expect(backups.some((b) => framesOf(b).length > 2 && b.length > 1024 * 1024)).toBe(true);
    const file = await readFile(v.path);
    expect(framesOf(file)).toHaveLength(1);
    expect(readVaultFile(file).header.generation).toBe(v.session.info.generation);
    v.session.lock();
    const again = await unlockVault(v.path, { password: v.password }, testDeps());
    expect(await testService(again).reveal('big')).toBe(`${rotations - 1}`.padEnd(100_000, 'y'));
    again.lock();
  });

  it('past the soft limit, in the background of a long-running process; the save itself only appends', async () => {
    const v = await createTestVault(await tempDir(), { deps: { compactInBackground: true } });
    await v.service.add({ name: 'big', type: 'secret' }, { value: 'x'.repeat(70_000) });
    // The add crossed the soft limit (64 KiB of log) and was acknowledged with two frames on disk.
    expect(framesOf(await readFile(v.path)).length).toBeGreaterThanOrEqual(1);
    await v.session.settled();
    expect(framesOf(await readFile(v.path))).toHaveLength(1);
    expect(await v.service.reveal('big')).toBe('x'.repeat(70_000));
    v.session.lock();
  });
});

describe('upgrading a v1 vault', () => {
  it('the golden v1 file opens, and its first save writes v2 with every value, keeping the v1 file as a backup', async () => {
    const dir = await tempDir();
    const path = join(dir, 'vault.keyward');
    await copyFile(join(GOLDEN_DIR, GOLDEN_VAULT), path);
    const golden = await readFile(path);
    const session = await unlockVault(path, { password: GOLDEN_PASSWORD }, testDeps());
    const svc = testService(session);
    await svc.add({ name: 'added after the upgrade', type: 'secret' }, { value: 'new' });
    session.lock();

    const upgraded = await readFile(path);
    expect(upgraded.readUInt16BE(8)).toBe(2);
    const again = await unlockVault(path, { password: GOLDEN_PASSWORD }, testDeps());
    const reopened = testService(again);
    for (const c of GOLDEN_CREDENTIALS)
      for (const [i, value] of c.values.entries()) expect(await reopened.reveal(c.name, i + 1), `${c.name} v${i + 1}`).toBe(value);
    expect(await reopened.reveal('added after the upgrade')).toBe('new');
    // The second save appends to the v2 file.
    await reopened.add({ name: 'second', type: 'secret' }, { value: 's' });
    expect(framesOf(await readFile(path))).toHaveLength(2);
    again.lock();
    const backups = await readdir(vaultPaths(path).backupsDir);
    const kept = await Promise.all(backups.map((f) => readFile(join(vaultPaths(path).backupsDir, f))));
    expect(kept.some((b) => b.equals(golden))).toBe(true);
  });

  it('a v1 vault a test built (rewriteAsV1) upgrades the same way and keeps its generation order', async () => {
    const v = await createTestVault(await tempDir());
    await v.service.add({ name: 'a', type: 'secret' }, { value: 'a' });
    v.session.lock();
    const v1 = await rewriteAsV1(v.path, v.password);
    const generation = readVaultFile(v1).header.generation;
    const session = await unlockVault(v.path, { password: v.password }, testDeps());
    await testService(session).add({ name: 'b', type: 'secret' }, { value: 'b' });
    expect(session.info.generation).toBe(generation + 1);
    session.lock();
    expect((await readFile(v.path)).readUInt16BE(8)).toBe(2);
  });
});

describe('changes are tracked, never guessed', () => {
  it('a credential changed in place (not through editCredential) throws, and nothing is written', async () => {
    const v = await createTestVault(await tempDir());
    await v.service.add({ name: 'a', type: 'secret', description: 'before' }, { value: 'a' });
    const before = await readFile(v.path);
    await expect(
      v.session.transact((body) => {
        body.credentials[0]!.description = 'changed behind the change log';
      }),
    ).rejects.toThrow(TypeError);
    // The list is read-only by type; code that casts that away and pushes or splices is caught when the change ends.
    const writable = (body: { credentials: readonly StoredCredential[] }) => body.credentials as StoredCredential[];
    await expect(v.session.transact((body) => void writable(body).push({ ...body.credentials[0]!, id: 'x' }))).rejects.toThrow(/without putCredential/);
    await expect(v.session.transact((body) => void writable(body).splice(0, 1))).rejects.toThrow(/without putCredential/);
    expect((await readFile(v.path)).equals(before)).toBe(true);
    expect(v.session.state.credentials[0]!.description).toBe('before');
    // The state outside a transaction is read-only too.
    expect(() => {
      (v.session.state.credentials[0] as { name: string }).name = 'x';
    }).toThrow(TypeError);
    // Through the tracked API the same change is written and read back.
    await v.session.transact((body) => void (editCredential(body, body.credentials[0]!.id).description = 'after'));
    v.session.lock();
    const again = await unlockVault(v.path, { password: v.password }, testDeps());
    expect(again.state.credentials[0]!.description).toBe('after');
    again.lock();
  });
});

describe('crashes and stale views during an append (review of format v2)', () => {
  it('a record whose commit never landed (its check still zero) is not acknowledged: dropped, kept in a backup copy, cut off', async () => {
    const { v, whole, last } = await keptThenOneMore('uncommitted');
    // The crash came between the record's first fsync and its commit: every byte there but the check.
    const crashed = Buffer.from(whole);
    crashed.fill(0, last.head.start + 13, last.head.start + 17);
    await writeFile(v.path, crashed);
    const session = await unlockVault(v.path, { password: v.password }, testDeps());
    expect(session.state.credentials.map((c) => c.name)).toEqual(['kept']);
    await testService(session).add({ name: 'next', type: 'secret' }, { value: 'n' });
    session.lock();
    // The cut bytes are kept: a backup holds the file exactly as it was before the cut.
    const backupsDir = vaultPaths(v.path).backupsDir;
    const backups = await Promise.all((await readdir(backupsDir)).map((f) => readFile(join(backupsDir, f))));
    expect(backups.some((b) => b.equals(crashed))).toBe(true);
    const again = await unlockVault(v.path, { password: v.password }, testDeps());
    expect(again.state.credentials.map((c) => c.name)).toEqual(['kept', 'next']);
    again.lock();
  });

  it('a file that grew by zeros (a crash after the size was updated, before the data) is not damage', async () => {
    const v = await createTestVault(await tempDir());
    await v.service.add({ name: 'kept', type: 'secret' }, { value: 'k' });
    v.session.lock();
    await writeFile(v.path, Buffer.concat([await readFile(v.path), Buffer.alloc(4096)]));
    const session = await unlockVault(v.path, { password: v.password }, testDeps());
    expect(session.state.credentials.map((c) => c.name)).toEqual(['kept']);
    session.lock();
  });

  it('a writer whose stat is stale (a network file system’s cache) cannot cut another process’s record: BUSY, nothing lost', async () => {
    const dir = await tempDir();
    const v = await createTestVault(dir);
    await v.service.add({ name: 'first', type: 'secret' }, { value: '1' });
    v.session.lock();
    // A's view of the file's metadata is frozen at what it saw at unlock.
    const view: { frozen?: Awaited<ReturnType<FileSystem['stat']>> } = {};
    const stale: FileSystem = {
      ...nodeFileSystem,
      stat: async (path) => (path === v.path && view.frozen !== undefined ? view.frozen : nodeFileSystem.stat(path)),
    };
    const a = await unlockVault(v.path, { password: v.password }, testDeps({ fs: stale }));
    view.frozen = await nodeFileSystem.stat(v.path);
    const b = await unlockVault(v.path, { password: v.password }, testDeps());
    await testService(b).add({ name: 'from-b', type: 'secret' }, { value: 'b' });
    await expect(testService(a).add({ name: 'from-a', type: 'secret' }, { value: 'a' })).rejects.toMatchObject({ code: 'BUSY' });
    a.lock();
    b.lock();
    const after = await unlockVault(v.path, { password: v.password }, testDeps());
    expect(after.state.credentials.map((c) => c.name)).toEqual(['first', 'from-b']);
    after.lock();
  });

  it('a rewrite whose rename fails leaves no backup that is the live file itself', async () => {
    const dir = await tempDir();
    const v = await createTestVault(dir);
    await v.service.add({ name: 'a', type: 'secret' }, { value: 'a' });
    v.session.lock();
    const failingRename: FileSystem = {
      ...nodeFileSystem,
      writeFileAtomic: async (_path, _data, options) => {
        await options?.beforeReplace?.();
        throw Object.assign(new Error('EACCES: rename refused'), { code: 'EACCES' });
      },
    };
    const session = await unlockVault(v.path, { password: v.password }, testDeps({ fs: failingRename }));
    await expect(session.compactNow({ force: true })).rejects.toThrow(/EACCES/);
    session.lock();
    const live = await nodeFileSystem.stat(v.path);
    const backupsDir = vaultPaths(v.path).backupsDir;
    for (const f of await readdir(backupsDir)) expect((await nodeFileSystem.stat(join(backupsDir, f)))!.ino).not.toBe(live!.ino);
  });
});

describe('rollback protection across restarts (the highest generation remembered outside the vault)', () => {
  async function protectedVault() {
    const dir = await tempDir();
    const stateDir = join(dir, 'state');
    const v = await createTestVault(dir, { deps: { stateDir } });
    await v.service.add({ name: 'a', type: 'secret' }, { value: 'a' });
    const older = await readFile(v.path);
    await v.service.add({ name: 'b', type: 'secret' }, { value: 'b' });
    v.session.lock();
    return { ...v, stateDir, older, deps: testDeps({ stateDir }) };
  }

  it('an older copy put in the vault’s place is refused at the next unlock (OLDER_COPY, saying when the newer one was seen), the file untouched', async () => {
    const v = await protectedVault();
    await writeFile(v.path, v.older);
    const err = await unlockVault(v.path, { password: v.password }, v.deps).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'OLDER_COPY', message: expect.stringMatching(/older copy \(generation 2\) than one already opened here \(generation 3, on \d{4}-/) });
    expect((await readFile(v.path)).equals(v.older)).toBe(true);
  });

  it('the file cut at a record boundary (the last save dropped) is refused too; a torn, never-committed record is not', async () => {
    const v = await protectedVault();
    const whole = await readFile(v.path);
    const last = framesOf(whole).at(-1)!;
    await writeFile(v.path, whole.subarray(0, last.start));
    await expect(unlockVault(v.path, { password: v.password }, v.deps)).rejects.toMatchObject({ code: 'OLDER_COPY' });
    // A crash: the next record was being written and never committed. Nothing acknowledged is missing.
    const torn = Buffer.concat([whole, Buffer.alloc(300)]);
    await writeFile(v.path, torn);
    const session = await unlockVault(v.path, { password: v.password }, v.deps);
    expect(session.state.credentials.map((c) => c.name)).toEqual(['a', 'b']);
    session.lock();
  });

  it('accepting the older copy (the person said so) opens it and saves it as the newest: the next unlock is not refused', async () => {
    const v = await protectedVault();
    await writeFile(v.path, v.older);
    const session = await unlockVault(v.path, { password: v.password }, v.deps, { acceptOlder: true });
    expect(session.acceptedOlder).toMatchObject({ generation: 3 });
    expect(session.state.credentials.map((c) => c.name)).toEqual(['a']);
    expect(session.info.generation).toBeGreaterThan(3);
    session.lock();
    const again = await unlockVault(v.path, { password: v.password }, v.deps);
    expect(again.state.credentials.map((c) => c.name)).toEqual(['a']);
    again.lock();
  });

  it('a backup restored on purpose while locked opens without being refused, once', async () => {
    const v = await protectedVault();
    const restored = await restoreBackupFile(v.path, undefined, v.deps);
    expect(restored).toMatch(/\.g00000002\.keyward$/);
    const session = await unlockVault(v.path, { password: v.password }, v.deps);
    expect(session.state.credentials.map((c) => c.name)).toEqual(['a']);
    expect(session.acceptedOlder).toMatchObject({ generation: 3 });
    session.lock();
    // The allowance was for that one restore: the same older bytes put back later are refused again.
    await writeFile(v.path, v.older);
    await expect(unlockVault(v.path, { password: v.password }, v.deps)).rejects.toMatchObject({ code: 'OLDER_COPY' });
  });

  it('a remembered generation that does not authenticate (edited, or another vault’s) is ignored, not trusted', async () => {
    const v = await protectedVault();
    const [file] = await readdir(join(v.stateDir, 'seen'));
    const entry = JSON.parse(await readFile(join(v.stateDir, 'seen', file!), 'utf8')) as { generation: number };
    await writeFile(join(v.stateDir, 'seen', file!), JSON.stringify({ ...entry, generation: 999 }));
    // A forged higher number would lock the user out of their own vault if it were trusted.
    const session = await unlockVault(v.path, { password: v.password }, v.deps);
    expect(session.info.generation).toBe(3);
    session.lock();
  });

  it('a vault that keeps its key in the OS keychain is remembered there too: clearing the state folder does not open an older copy', async () => {
    const dir = await tempDir();
    const stateDir = join(dir, 'state');
    const keychain = new MemoryKeychain();
    // The older copy is from before the keychain was turned on: its header says nothing of the keychain.
    const v = await createTestVault(dir, { deps: { stateDir, keychain } });
    await v.service.add({ name: 'a', type: 'secret' }, { value: 'a' });
    const older = await readFile(v.path);
    await v.session.setKeychainEnabled(true, v.password);
    await v.service.add({ name: 'b', type: 'secret' }, { value: 'b' });
    const vaultId = v.session.info.vaultId;
    v.session.lock();
    expect(JSON.parse(keychain.entries.get(seenAccount(vaultId))!)).toMatchObject({ generation: 4 });
    await rm(stateDir, { recursive: true });
    await writeFile(v.path, older);
    await expect(unlockVault(v.path, { password: v.password }, testDeps({ stateDir, keychain }))).rejects.toMatchObject({ code: 'OLDER_COPY' });
    // A forged entry in the keychain is ignored, as one in the state folder is.
    keychain.entries.set(seenAccount(vaultId), JSON.stringify({ ...JSON.parse(keychain.entries.get(seenAccount(vaultId))!), generation: 999 }));
    const session = await unlockVault(v.path, { password: v.password }, testDeps({ stateDir, keychain }));
    expect(session.state.credentials.map((c) => c.name)).toEqual(['a']);
    session.lock();
  });

  it('another process saving between this unlock’s read and its check is not mistaken for an older copy', async () => {
    const v = await protectedVault();
    const other = await unlockVault(v.path, { password: v.password }, v.deps);
    // Read the file, then let the other process save and remember a newer generation before the check runs.
    const race = { done: false };
    const racing: FileSystem = {
      ...nodeFileSystem,
      readFile: async (path) => {
        const data = await nodeFileSystem.readFile(path);
        if (path === v.path && !race.done) {
          race.done = true;
          await testService(other).add({ name: 'meanwhile', type: 'secret' }, { value: 'm' });
        }
        return data;
      },
    };
    const session = await unlockVault(v.path, { password: v.password }, testDeps({ stateDir: v.stateDir, fs: racing }));
    expect(session.state.credentials.map((c) => c.name)).toEqual(['a', 'b', 'meanwhile']);
    session.lock();
    other.lock();
  });
});

describe('rollback protection through the CLI', () => {
  it('an older copy exits 5 saying so; --accept-older opens it, records it, and makes it the newest', async () => {
    const dir = await tempDir();
    const env = { KEYWARD_STATE_DIR: join(dir, 'state') };
    const cli = new CliVault(dir);
    await cli.init([], { env });
    await cli.add('first', 'one', 'secret', [], { env });
    const older = await readFile(cli.path);
    await cli.add('second', 'two', 'secret', [], { env });
    await writeFile(cli.path, older);

    const refused = await cli.run(['list'], { env });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/older copy \(generation \d+\) than one already opened here/);
    expect(refused.stderr).toMatch(/--accept-older/);
    expect((await readFile(cli.path)).equals(older)).toBe(true);

    const opened = await cli.json<{ name: string }[]>(['--accept-older', 'list'], { env });
    expect(opened.map((c) => c.name)).toEqual(['first']);
    expect((await cli.json<{ name: string }[]>(['list'], { env })).map((c) => c.name)).toEqual(['first']);
  });
});

describe('stamps for merging copies (docs/vault-format.md V2.9)', () => {
  it('each change stamps what it changed with this device, tombstones record deletions, and another process reads both', async () => {
    const dir = await tempDir();
    const stateDir = join(dir, 'state');
    const clock = new FakeClock(new Date('2026-12-01T00:00:00.000Z'));
    const v = await createTestVault(dir, { deps: { stateDir, clock } });
    const stampsOf = (name: string) => v.session.state.credentials.find((c) => c.name === name)!.stamps!;

    const { id } = await v.service.add({ name: 'api', type: 'api_key', fields: { keyId: 'K1' } }, { value: 'v1' });
    // This installation's id, made by its first change and kept in the state folder.
    const device = (await readFile(join(stateDir, 'device'), 'utf8')).trim();
    expect(device).toMatch(/^[0-9a-f]{16}$/);
    const made = stampsOf('api')['*']!;
    expect(made).toMatch(new RegExp(`^${Date.parse('2026-12-01T00:00:00.000Z')}\\.0000@${device}$`));

    clock.advance(1000);
    await v.service.update('api', { description: 'now described', fields: { keyId: 'K2' } });
    const edited = stampsOf('api');
    expect(edited['*']).toBe(made);
    expect(edited.description! > made).toBe(true);
    expect(edited['fields.keyId']).toBe(edited.description);
    expect(edited.name).toBeUndefined();

    // The wall clock jumps back: stamps still move forward.
    clock.set(new Date('2026-11-01T00:00:00.000Z'));
    await v.service.rotate('api', { value: 'v2' });
    const rotated = stampsOf('api');
    expect(rotated['versions.2']! > edited.description!).toBe(true);
    expect(rotated['versions.1']).toBe(rotated['versions.2']); // version 1 became "previous"
    expect(rotated.lastRotatedAt).toBe(rotated['versions.2']);

    const other = await unlockVault(v.path, { password: v.password }, testDeps({ stateDir }));
    await testService(other).remove('api');
    const tombstone = other.state.tombstones?.[id];
    expect(tombstone! > rotated['versions.2']!).toBe(true);
    // This session learns the deletion and its stamp from the appended record.
    await v.session.refresh();
    expect(v.session.state.credentials).toHaveLength(0);
    expect(v.session.state.tombstones?.[id]).toBe(tombstone);
    other.lock();
    v.session.lock();
    // And so does a fresh read of the whole file; the device id is the same for every session of this user.
    const again = await unlockVault(v.path, { password: v.password }, testDeps({ stateDir }));
    expect(again.state.tombstones?.[id]).toBe(tombstone);
    expect(again.state.lastStamp).toBe(tombstone);
    expect(tombstone!.endsWith(`@${device}`)).toBe(true);
    again.lock();
  });
});
