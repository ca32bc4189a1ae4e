/**
 * Sealed segments of the audit trail and retention (issue 12;
 * docs/audit-format.md §11): the live log rolls into segments that stay
 * verifiable, retention drops whole old segments and says so in the chain,
 * and every way of tampering with segments or their index is found.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { AuditTrail } from '../core/audit/audit-trail.js';
import { MerkleTreeHash } from '../core/audit/merkle.js';
import { parallelSegmentChecker } from '../core/audit/segment-check.js';
import { trailKeys } from '../core/audit/trail-records.js';
import { verifyTrail } from '../core/audit/trail-verify.js';
import { openCore } from '../core/composition.js';
import { systemClock } from '../core/ports/clock.js';
import { nodeFileSystem } from '../core/ports/file-system.js';
import { systemRandom } from '../core/ports/random.js';
import { unlockVault } from '../core/vault/vault-session.js';
import type { Clock } from '../core/ports/clock.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { distinctiveSecret, strongPassword, TEST_KDF_ITERATIONS, testDeps } from './helpers/builders.js';
import { CliVault } from './helpers/cli.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();
const DAY = 86_400_000;
const PER = 8;

async function segmentedVault() {
  const dir = await tempDir();
  const path = join(dir, 'vault.keyward');
  const password = strongPassword() + strongPassword();
  let now = Date.parse('2026-01-05T10:00:00Z');
  const clock: Clock = { now: () => new Date(now) };
  const core = openCore({ actor: 'test', deps: testDeps({ clock, stateDir: join(dir, 'state') }), auditSegmentRecords: PER });
  const vault = await core.vault(path).create({ password, useKeychain: false, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' });
  await vault.credentials.add({ name: 'stripe-prod', type: 'api_key' }, { value: distinctiveSecret('seg') });
  const paths = vaultPaths(path).audit;
  return { dir, path, password, core, vault, paths, advance: (ms: number) => (now += ms), reopen: () => core.vault(path).unlock({ password }) };
}

/** The vault's trail key, from a session of the tests' own (what the lifecycle hands the trail). */
async function unlockedTrailKey(path: string, password: string): Promise<Buffer> {
  const session = await unlockVault(path, { password }, testDeps());
  try {
    return await session.trailKey();
  } finally {
    session.lock();
  }
}

const lines = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter(Boolean);

describe('sealed segments', () => {
  it('rolls the live log into segments of a power of two of records that stay readable, verifiable and checkpointed', async () => {
    const s = await segmentedVault();
    const early = await s.vault.auditCheckpoint();
    for (let i = 0; i < 25; i++) await s.vault.credentials.reveal('stripe-prod');
    const segments = (await readdir(s.paths.segments.dir)).filter((f) => f.endsWith('.log')).sort();
    expect(segments).toEqual(['000000000000.log', '000000000008.log', '000000000016.log']);
    for (const f of segments) expect(await lines(join(s.paths.segments.dir, f))).toHaveLength(PER);
    expect((await lines(s.paths.segments.index)).map((l) => JSON.parse(l) as { kind: string; first: number; last: number })).toEqual([
      expect.objectContaining({ kind: 'seal', first: 0, last: 7 }),
      expect.objectContaining({ kind: 'seal', first: 8, last: 15 }),
      expect.objectContaining({ kind: 'seal', first: 16, last: 23 }),
    ]);
    const records = await s.vault.auditRecords();
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i));
    expect(records.filter((r) => r.action === 'reveal')).toHaveLength(25);
    expect(await s.vault.verifyAuditTrail(early.text)).toMatchObject({ intact: true, problems: [] });
    const late = await s.vault.auditCheckpoint();
    expect(late.size).toBeGreaterThan(24);
    expect((await s.vault.usage()).credentials[0]).toMatchObject({ name: 'stripe-prod', reads: 25 });
    // Another process (a fresh unlock) goes on from the segments, whatever the live log holds.
    await s.vault.lock('user');
    const again = await s.reopen();
    expect(await again.verifyAuditTrail(late.text)).toMatchObject({ intact: true });
    await again.lock('user');
  });

  it('marks a seal checked only when its writer verified every record first; a line tampered with before sealing is still found, at its line', async () => {
    const s = await segmentedVault();
    for (let i = 0; i < 3; i++) await s.vault.credentials.reveal('stripe-prod');
    // The live log holds fewer than a segment's lines: one is changed before the writer seals them.
    const live = await lines(s.paths.log);
    expect(live.length).toBeLessThan(PER);
    live[1] = live[1]!.replace('"test"', '"app"');
    await writeFile(s.paths.log, live.map((l) => `${l}\n`).join(''));
    for (let i = 0; i < 20; i++) await s.vault.credentials.reveal('stripe-prod');
    const seals = (await lines(s.paths.segments.index)).map((l) => JSON.parse(l) as { first: number; checked?: boolean });
    expect(seals.map((e) => [e.first, e.checked ?? false])).toEqual([
      [0, false],
      [8, true],
      [16, true],
    ]);
    const report = await s.vault.verifyAuditTrail();
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'modified', file: 'segment 000000000000', line: 2 })]);
    await s.vault.lock('user');
  });

  it('finishes a seal a crash interrupted (the lines left in the live log too): read once, verified, cut at the next append', async () => {
    const s = await segmentedVault();
    for (let i = 0; i < 18; i++) await s.vault.credentials.reveal('stripe-prod');
    const lastSegment = join(s.paths.segments.dir, '000000000008.log');
    // As if the process died after the index named the segment, before the live log was rewritten.
    await writeFile(s.paths.log, Buffer.concat([await readFile(lastSegment), await readFile(s.paths.log)]));
    const records = await s.vault.auditRecords();
    expect(new Set(records.map((r) => r.seq)).size).toBe(records.length);
    expect(await s.vault.verifyAuditTrail()).toMatchObject({ intact: true });
    for (let i = 0; i < 3; i++) await s.vault.credentials.reveal('stripe-prod');
    const live = await lines(s.paths.log);
    expect((JSON.parse(live[0]!) as { seq: number }).seq).toBeGreaterThan(15);
    expect(await s.vault.verifyAuditTrail()).toMatchObject({ intact: true });
    await s.vault.lock('user');
  });

  it('drops whole segments older than the retention, records it in the chain, and what remains still verifies', async () => {
    const s = await segmentedVault();
    for (let i = 0; i < 25; i++) await s.vault.credentials.reveal('stripe-prod');
    const checkpoint = await s.vault.auditCheckpoint();
    s.advance(400 * DAY);
    await s.vault.credentials.reveal('stripe-prod');
    expect((await readdir(s.paths.segments.dir)).filter((f) => f.endsWith('.log'))).toEqual([]);
    const drops = (await lines(s.paths.segments.index)).map((l) => JSON.parse(l) as { kind: string; retentionDays?: number }).filter((e) => e.kind === 'drop');
    expect(drops).toHaveLength(3);
    expect(drops[0]!.retentionDays).toBe(365);
    const retention = await s.vault.auditRecords({ action: 'audit.retention' });
    expect(retention).toHaveLength(3);
    const records = await s.vault.auditRecords();
    expect(records[0]!.seq).toBe(24);
    const report = await s.vault.verifyAuditTrail(checkpoint.text);
    expect(report).toMatchObject({ intact: true, problems: [] });
    await s.vault.lock('user');
  });

  it('checks segments in parallel (a worker thread takes every other one) with the very same findings', async () => {
    const s = await segmentedVault();
    for (let i = 0; i < 40; i++) await s.vault.credentials.reveal('stripe-prod');
    // The worker as the CLI, the app and the bench bundle it.
    const workerFile = join(s.dir, 'segment-check-worker.cjs');
    await build({ entryPoints: ['electron/core/audit/segment-check-worker.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: workerFile, logLevel: 'silent' });
    const files = await (async () => {
      const trail = new AuditTrail(s.paths, { fs: nodeFileSystem, random: systemRandom, clock: systemClock, device: async () => '0123456789abcdef' });
      return trail.readFiles();
    })();
    const keys = trailKeys(await unlockedTrailKey(s.path, s.password), s.vault.info.vaultId);
    const inParallel = parallelSegmentChecker(workerFile);
    expect((await verifyTrail(files, keys, null, undefined, inParallel)).intact).toBe(true);
    // A record changed in the second segment (the worker's share) is found there, as here.
    const second = files.segments!.get(1)!;
    const changed = Buffer.from(second.toString('utf8').replace('"test"', '"app"'), 'utf8');
    const tampered = { ...files, segments: new Map([...files.segments!, [1, changed]]) };
    const here = await verifyTrail(tampered, keys, null);
    const there = await verifyTrail(tampered, keys, null, undefined, inParallel);
    expect(there.problems.length).toBeGreaterThan(0);
    expect(there).toEqual(here);
    await s.vault.lock('user');
  });

  it('judges retention on when a segment was sealed, never on a time a record claims (a forged old line drops nothing)', async () => {
    const s = await segmentedVault();
    // Fill the live log to one short of a segment, then give its last line a time in 1970 (its MAC left as it was).
    while ((await lines(s.paths.log)).length < PER) await s.vault.credentials.reveal('stripe-prod');
    const live = await lines(s.paths.log);
    live[PER - 1] = live[PER - 1]!.replace(/"at":"[^"]+"/, '"at":"1970-01-01T00:00:00.000Z"');
    await writeFile(s.paths.log, live.map((l) => `${l}\n`).join(''));
    await s.vault.credentials.reveal('stripe-prod');
    expect((await readdir(s.paths.segments.dir)).filter((f) => f.endsWith('.log'))).toEqual(['000000000000.log']);
    expect(await s.vault.auditRecords({ action: 'audit.retention' })).toEqual([]);
    // And verification names the forged line, sealed or not.
    expect((await s.vault.verifyAuditTrail()).problems).toEqual([expect.objectContaining({ kind: 'modified', file: 'segment 000000000000', line: PER })]);
    await s.vault.lock('user');
  });

  it('a seal keeps the watch’s history: an actor seen before it is not "new" again after it', async () => {
    const s = await segmentedVault();
    const other = openCore({ actor: 'harness', deps: testDeps({ stateDir: join(s.dir, 'state') }), auditSegmentRecords: PER }).vault(s.path);
    const newActors = async () => (await s.vault.incidents({ all: true })).anomalies.filter((a) => a.kind === 'new-actor' && a.actor === 'harness').length;
    let vault = await other.unlock({ password: s.password });
    await vault.credentials.reveal('stripe-prod');
    await vault.lock('user');
    expect(await newActors()).toBe(1);
    // Enough records that the harness's first ones are sealed away.
    for (let i = 0; i < 3 * PER; i++) await s.vault.credentials.reveal('stripe-prod');
    expect((await readdir(s.paths.segments.dir)).filter((f) => f.endsWith('.log')).length).toBeGreaterThanOrEqual(2);
    vault = await other.unlock({ password: s.password });
    await vault.credentials.reveal('stripe-prod');
    await vault.lock('user');
    expect(await newActors()).toBe(1);
    await s.vault.lock('user');
  });

  describe('tampering', () => {
    async function sealed() {
      const s = await segmentedVault();
      for (let i = 0; i < 25; i++) await s.vault.credentials.reveal('stripe-prod');
      return s;
    }
    const kinds = async (s: Awaited<ReturnType<typeof sealed>>) => {
      const report = await s.vault.verifyAuditTrail();
      await s.vault.lock('user');
      return report.problems.map((p) => p.kind);
    };

    it('a segment removed is found, even though the index still names it', async () => {
      const s = await sealed();
      await rm(join(s.paths.segments.dir, '000000000008.log'));
      expect(await kinds(s)).toEqual(['missing-segment']);
    });

    it('a record changed inside a segment is found at its line, and the segment no longer matches its seal', async () => {
      const s = await sealed();
      const file = join(s.paths.segments.dir, '000000000008.log');
      const seg = await lines(file);
      seg[2] = seg[2]!.replace('"test"', '"app"');
      await writeFile(file, seg.map((l) => `${l}\n`).join(''));
      const report = await s.vault.verifyAuditTrail();
      expect(report.problems).toEqual([
        expect.objectContaining({ kind: 'modified', file: 'segment 000000000008', line: 3 }),
        expect.objectContaining({ kind: 'modified', file: 'segment 000000000008', message: expect.stringMatching(/Merkle root differs/) }),
      ]);
      await s.vault.lock('user');
    });

    it('a record changed with its checked seal’s root rewritten to match is still found at its line (a seal that does not authenticate is not trusted)', async () => {
      const s = await sealed();
      const file = join(s.paths.segments.dir, '000000000008.log');
      const seg = await lines(file);
      seg[2] = seg[2]!.replace('"test"', '"app"');
      await writeFile(file, seg.map((l) => `${l}\n`).join(''));
      const tree = new MerkleTreeHash();
      for (const line of seg) tree.addLeaf(Buffer.from(line, 'utf8'));
      const index = await lines(s.paths.segments.index);
      const entry = JSON.parse(index[1]!) as { root: string; checked?: boolean };
      expect(entry.checked).toBe(true);
      index[1] = JSON.stringify({ ...entry, root: tree.root().toString('base64') });
      await writeFile(s.paths.segments.index, index.map((l) => `${l}\n`).join(''));
      const report = await s.vault.verifyAuditTrail();
      expect(report.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'segment-index', line: 2 }),
          expect.objectContaining({ kind: 'modified', file: 'segment 000000000008', line: 3 }),
        ]),
      );
      await s.vault.lock('user');
    });

    it('an index entry changed (a root, or a forged drop that would excuse a removed segment) is found', async () => {
      const s = await sealed();
      const index = await lines(s.paths.segments.index);
      await rm(join(s.paths.segments.dir, '000000000000.log'));
      const forged = { v: 1, n: index.length, kind: 'drop', segment: 0, retentionDays: 1, at: new Date().toISOString(), mac: '0'.repeat(64) };
      await writeFile(s.paths.segments.index, [...index, JSON.stringify(forged)].map((l) => `${l}\n`).join(''));
      expect(await kinds(s)).toEqual(['segment-index']);
    });

    it('the index removed with its segments: the live log no longer begins at the first record', async () => {
      const s = await sealed();
      await rm(s.paths.segments.dir, { recursive: true });
      expect(await kinds(s)).toContain('out-of-order');
    });

    it('the last seal removed from the index (its segment too): the records it held are missing', async () => {
      const s = await sealed();
      const index = await lines(s.paths.segments.index);
      await writeFile(s.paths.segments.index, index.slice(0, -1).map((l) => `${l}\n`).join(''));
      await rm(join(s.paths.segments.dir, '000000000016.log'));
      expect(await kinds(s)).toContain('out-of-order');
    });
  });
});

describe('keyward audit retention', () => {
  it('shows and sets the retention; shortening it needs the master password, a value out of range none of it', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    expect((await cli.expectOk(['audit', 'retention'])).stdout).toMatch(/kept 365 days/);
    // Longer: no second password check.
    expect((await cli.expectOk(['audit', 'retention', '--days', '730'])).stdout).toMatch(/now kept 730 days/);
    const tooShort = await cli.run(['audit', 'retention', '--days', '10']);
    expect(tooShort.code).toBe(2);
    expect(tooShort.stderr).toMatch(/0 \(keep for ever\) or 30 to 3650 days/);
    // Shorter: the master password (here from KEYWARD_PASSWORD, as the unlock took it).
    expect((await cli.expectOk(['audit', 'retention', '--days', '90'])).stdout).toMatch(/now kept 90 days/);
    expect(await cli.json<{ auditRetentionDays: number }>(['audit', 'retention'])).toEqual({ auditRetentionDays: 90 });
  });

  it('the app cannot shorten it without the password (settings.update)', async () => {
    const s = await segmentedVault();
    await expect(s.vault.updateSettings({ auditRetentionDays: 60 })).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'password' } });
    await expect(s.vault.updateSettings({ auditRetentionDays: 60 }, 'wrong password')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await expect(s.vault.updateSettings({ auditRetentionDays: 60 }, s.password)).resolves.toMatchObject({ auditRetentionDays: 60 });
    await expect(s.vault.updateSettings({ auditRetentionDays: 0 })).resolves.toMatchObject({ auditRetentionDays: 0 });
    await s.vault.lock('user');
  });
});
