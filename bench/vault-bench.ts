/**
 * In-process benchmarks through the real core: unlockVault, openCore's services and the
 * VaultService an app or CLI uses, on real files with real crypto and fsync.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryAuditSink } from '../electron/core/audit/audit-sink.js';
import { AuditTrail } from '../electron/core/audit/audit-trail.js';
import { parallelSegmentChecker } from '../electron/core/audit/segment-check.js';
import { SegmentWriter } from '../electron/core/audit/segment-writer.js';
import { watchBeside } from '../electron/core/audit/watch/audit-watch.js';
import { vaultPaths } from '../electron/core/vault/vault-paths.js';
import { GENESIS_MAC, recordLine, recordMac, TRAIL_VERSION, trailKeys, type TrailRecord } from '../electron/core/audit/trail-records.js';
import { verifyTrail } from '../electron/core/audit/trail-verify.js';
import { defaultPolicy, openCore, realVaultDeps } from '../electron/core/composition.js';
import { reminderViewPaced } from '../electron/core/rotation/due.js';
import { ReminderScheduler } from '../electron/app/reminder-scheduler.js';
import { systemClock } from '../electron/core/ports/clock.js';
import { realTimers } from '../electron/core/ports/timers.js';
import { VaultService } from '../electron/core/service/vault-service.js';
import { derivePasswordKey, KDF_ALGORITHM, SALT_BYTES } from '../electron/core/vault/format/index.js';
import { unlockVault, type VaultSession } from '../electron/core/vault/vault-session.js';
import { BENCH_PASSWORD, SEARCH_QUERY, type Fixture } from './fixture.js';
import { makeResult, type OperationId, type Result } from './report.js';
import { collectGarbage, sample, seededRandom, type SampleOptions, type Samples } from './stats.js';

/** The api_key the add figures add: typical fields, a unique name per run. */
function benchCredential(stamp: string, i: number) {
  return {
    name: `bench-add-${stamp}-${i}/prod-api-key`,
    type: 'api_key' as const,
    provider: 'stripe',
    description: 'Added by the benchmark',
    tags: ['prod', 'payments'],
    fields: { keyId: `AKIA${String(i).padStart(16, '0')}`, scopes: 'read, write' },
  };
}

/**
 * The longest event-loop block while `run` runs, per run: what a main process
 * doing this operation could not serve meanwhile. Reported in the wall-clock
 * column (ms), so the table shows it beside its budget.
 */
async function longestLoopBlock(run: (i: number) => Promise<unknown>, options: SampleOptions): Promise<Samples> {
  const wall: number[] = [];
  const runs = Math.max(3, Math.min(options.minReps, 20));
  for (let i = 0; i < runs; i++) {
    collectGarbage();
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    await run(i);
    // Let the monitor's timer observe the end of the last block.
    await new Promise((resolve) => setTimeout(resolve, 2));
    histogram.disable();
    wall.push(histogram.max / 1e6);
  }
  return { wall, cpu: [], probe: [] };
}

export interface Plan {
  /** Sampling for cheap operations (well under a millisecond to a few ms). */
  fast: SampleOptions;
  /** Sampling for in-memory scans of the whole vault (list, search). */
  scan: (size: number) => SampleOptions;
  /** Sampling for operations that read or write the whole file (open, save). */
  heavy: (size: number) => SampleOptions;
}

export interface KdfBaseline {
  100_000: number | null;
  600_000: number | null;
}

export type Progress = (message: string) => void;

async function measure(
  results: Result[],
  progress: Progress,
  op: OperationId,
  size: number | null,
  kdf: { iterations: number; aloneMedian: number | null },
  run: () => Promise<Samples>,
): Promise<Result> {
  progress(`in-process ${op}${size === null ? '' : ` @ ${size}`}`);
  let result: Result;
  try {
    result = makeResult('in-process', op, size, await run(), kdf);
  } catch (err) {
    result = makeResult('in-process', op, size, null, kdf, err instanceof Error ? err.message : String(err));
  }
  results.push(result);
  return result;
}

/** Times one "KDF alone" (the core's derivePasswordKey) at `iterations`: the probe run beside KDF-including runs. */
export function kdfProbe(iterations: number): () => Promise<number> {
  const kdf = { algorithm: KDF_ALGORITHM, iterations, salt: randomBytes(SALT_BYTES).toString('base64') } as const;
  return async () => {
    const start = performance.now();
    const key = await derivePasswordKey(BENCH_PASSWORD, kdf);
    const ms = performance.now() - start;
    key.fill(0);
    return ms;
  };
}

/** PBKDF2 alone at the floor and at the default, so KDF-included figures can be read without it. */
export async function benchKdf(plan: Plan, results: Result[], progress: Progress): Promise<KdfBaseline> {
  const baseline: KdfBaseline = { 100_000: null, 600_000: null };
  for (const [op, iterations] of [['kdf-100k', 100_000], ['kdf-600k', 600_000]] as const) {
    const kdf = { algorithm: KDF_ALGORITHM, iterations, salt: randomBytes(SALT_BYTES).toString('base64') } as const;
    const options = iterations === 100_000 ? { ...plan.fast, warmup: 2, minReps: 8, maxReps: 20, timeBudgetMs: 500 } : { ...plan.fast, warmup: 1, minReps: 5, maxReps: 10, timeBudgetMs: 1000 };
    const r = await measure(results, progress, op, null, { iterations: 0, aloneMedian: null }, () =>
      sample(() => derivePasswordKey(BENCH_PASSWORD, kdf), options, (key) => void key.fill(0)),
    );
    baseline[iterations] = r.summary?.median ?? null;
  }
  return baseline;
}

/**
 * Every in-process operation on one fixture. The vault is at 100k iterations on
 * entry; at the end it is re-wrapped at 600k (for "open, KDF included (600k)")
 * and is left that way for the CLI's KDF-included figure.
 */
export async function benchInProcess(fixture: Fixture, plan: Plan, kdf: KdfBaseline, results: Result[], progress: Progress): Promise<void> {
  const { size, path, deps } = fixture;
  const heavy = plan.heavy(size);
  // The KDF adds 20–150 ms to every open: fewer runs suffice.
  const withKdf = (iterations: number): SampleOptions => ({
    ...heavy,
    minReps: Math.min(heavy.minReps, 10),
    maxReps: Math.min(heavy.maxReps, 30),
    gcBetween: true,
    probe: kdfProbe(iterations),
  });
  const lock = (s: VaultSession) => s.lock();
  const noKdf = { iterations: 0, aloneMedian: null };

  // As the app opens a vault: usable at once, the list decoded after, in the background.
  const asTheApp = { credentials: 'in-background' } as const;
  const openWhole = async () => {
    const session = await unlockVault(path, { keychain: true }, deps, asTheApp);
    await session.credentialsDecoded();
    return session;
  };
  await measure(results, progress, 'open-no-kdf', size, noKdf, () =>
    sample(() => unlockVault(path, { keychain: true }, deps, asTheApp), { ...heavy, gcBetween: true }, lock),
  );
  await measure(results, progress, 'open-whole', size, noKdf, () => sample(openWhole, { ...heavy, gcBetween: true }, lock));
  await measure(results, progress, 'loop-block-open', size, noKdf, () =>
    longestLoopBlock(async () => (await openWhole()).lock(), { ...heavy, minReps: Math.min(heavy.minReps, 5) }),
  );
  const session = await unlockVault(path, { keychain: true }, deps);
  try {
    await measure(results, progress, 'loop-block-rewrite', size, noKdf, () => longestLoopBlock(() => session.compactNow({ force: true }), { ...heavy, minReps: Math.min(heavy.minReps, 3) }));
  } finally {
    session.lock();
  }
  await measure(results, progress, 'open-kdf-100k', size, { iterations: 100_000, aloneMedian: kdf[100_000] }, () =>
    sample(() => unlockVault(path, { password: BENCH_PASSWORD }, realVaultDeps({ useKeychain: false }), asTheApp), withKdf(100_000), lock),
  );

  const vault = await openCore({ actor: 'app', deps }).vault(path).unlock({ keychain: true }, asTheApp);
  await vault.credentialsDecoded();
  try {
    const svc = vault.credentials;
    await measure(results, progress, 'list', size, noKdf, () => sample(() => svc.list(), plan.scan(size)));
    await measure(results, progress, 'search', size, noKdf, () => sample(() => svc.list({ query: SEARCH_QUERY }), plan.scan(size)));
    // The app's reminder scheduler, as the app builds it: one check, from the look to the notification.
    await measure(results, progress, 'loop-block-reminders', size, noKdf, () =>
      longestLoopBlock(async () => {
        const scheduler = new ReminderScheduler({
          clock: systemClock,
          timers: realTimers,
          source: { reminders: (now) => reminderViewPaced(vault.state, now) },
          notify: () => undefined,
        });
        scheduler.start();
        await scheduler.looked;
        scheduler.stop();
      }, { ...heavy, minReps: Math.min(heavy.minReps, 5) }),
    );

    const pick = seededRandom(size);
    const names = fixture.names;
    await measure(results, progress, 'get', size, noKdf, () =>
      sample(() => svc.reveal(names[Math.floor(pick() * names.length)]!), plan.fast),
    );
    // The same reveal recorded in memory only: the lookup and decrypt alone, what the trail adds is the difference.
    const session = await unlockVault(path, { keychain: true }, deps);
    try {
      const inMemory = new VaultService(session, { clock: deps.clock, random: deps.random, audit: new MemoryAuditSink(), policy: defaultPolicy(), actor: 'app' });
      await measure(results, progress, 'get-lookup', size, noKdf, () => sample(() => inMemory.reveal(names[Math.floor(pick() * names.length)]!), plan.fast));
    } finally {
      session.lock();
    }

    const stamp = Date.now().toString(36);
    await measure(results, progress, 'add-save', size, noKdf, () =>
      sample(
        (i) => svc.add(benchCredential(stamp, i), { value: `sk_live_${randomBytes(24).toString('hex')}` }),
        { ...heavy, gcBetween: true },
      ),
    );

    await measure(results, progress, 'loop-block', size, noKdf, () => longestLoopBlock((i) => svc.add(benchCredential(`${stamp}-block`, i), { value: `sk_live_${randomBytes(24).toString('hex')}` }), heavy));

    // Re-wrap at the default iteration count (one save), for the KDF-included figures at 600k.
    progress(`re-wrapping the ${size} vault at 600,000 iterations`);
    await vault.changePassword(BENCH_PASSWORD, BENCH_PASSWORD, { kdfIterations: 600_000, allowWeakPassword: true, weakPasswordHint: '' });
  } finally {
    await vault.lock('command-end');
  }
  collectGarbage();

  await measure(results, progress, 'open-kdf-600k', size, { iterations: 600_000, aloneMedian: kdf[600_000] }, () =>
    sample(() => unlockVault(path, { password: BENCH_PASSWORD }, realVaultDeps({ useKeychain: false }), asTheApp), withKdf(600_000), lock),
  );
  collectGarbage();
}

/**
 * Appending to the audit trail by itself (issue 12: "cheap and durable"):
 * one record through the trail as every operation's door writes it — the
 * trail's lock file, the tip check, the watch (detector state read, updated,
 * rewritten), the append and the head rewrite — for a read (not fsynced one
 * by one) and for a change (fsynced). Records per second = 1000 / median.
 */
export async function benchAuditAppend(results: Result[], progress: Progress, plan: Plan): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-trail-'));
  try {
    const vaultId = '00000000-0000-4000-8000-000000000000';
    const deps = realVaultDeps({ useKeychain: false, stateDir: join(dir, 'state') });
    const paths = vaultPaths(join(dir, 'vault.keyward')).audit;
    const watch = watchBeside(paths, deps);
    const trail = new AuditTrail(paths, { fs: deps.fs, random: deps.random, clock: deps.clock, device: async () => '0123456789abcdef', watch });
    await trail.attach(trailKeys(randomBytes(32), vaultId), { vaultId, anchor: () => null, retentionDays: () => 365 });
    // Many credentials, a few reads each: the detector's state is realistic, never a burst or a sweep.
    const event = (i: number, action: string) => ({ at: new Date().toISOString(), actor: 'app' as const, action, credentialId: `cred-${i % 5000}`, credentialName: `credential-${i % 5000}`, outcome: 'success' as const });
    await measure(results, progress, 'audit-append-read', null, { iterations: 0, aloneMedian: null }, () => sample((i) => trail.record(event(i, 'list')), plan.fast));
    await measure(results, progress, 'audit-append-write', null, { iterations: 0, aloneMedian: null }, () => sample((i) => trail.record(event(i, 'update')), { ...plan.fast, minReps: Math.min(plan.fast.minReps, 50) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Verifying a trail of `size` records (issue 12: 1M in under 5 s here). The
 * trail is written directly with the trail's own record and MAC functions
 * (appending 100k records one operation at a time would take minutes), then
 * sealed into segments as a trail that long would be (65,536 records each),
 * and verified as `keyward audit verify` does: the files read under the
 * trail's lock, the segments shared with one worker thread.
 */
export async function benchAuditVerify(size: number, results: Result[], progress: Progress, plan: Plan): Promise<void> {
  const vaultId = '00000000-0000-4000-8000-000000000000';
  const keys = trailKeys(randomBytes(32), vaultId);
  const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-verify-'));
  try {
    const deps = realVaultDeps({ useKeychain: false, stateDir: join(dir, 'state') });
    const paths = vaultPaths(join(dir, 'vault.keyward')).audit;
    let mac: Buffer = GENESIS_MAC;
    const chunk: string[] = [];
    for (let seq = 0; seq < size; seq++) {
      const record: TrailRecord = { v: TRAIL_VERSION, seq, at: new Date(1_767_225_600_000 + seq * 1000).toISOString(), device: '0123456789abcdef', actor: 'app', action: seq % 3 ? 'reveal' : 'list', outcome: 'success', cred: randomBytes(32).toString('hex') };
      mac = recordMac(keys, mac, record);
      chunk.push(recordLine(record, mac));
      if (chunk.length === 10_000 || seq === size - 1) await deps.fs.append(paths.log, Buffer.from(chunk.splice(0).join(''), 'utf8'));
    }
    await deps.fs.overwrite(paths.head, Buffer.from(JSON.stringify({ mac: mac.toString('hex'), seq: size - 1, v: 1 })));
    const stat = await deps.fs.stat(paths.log);
    await new SegmentWriter(paths.log, paths.segments, { fs: deps.fs, clock: deps.clock }).maintain(keys, stat!.size, 0);
    const files = await new AuditTrail(paths, { fs: deps.fs, random: deps.random, clock: deps.clock, device: async () => '0123456789abcdef' }).readFiles();
    const checker = parallelSegmentChecker(join(__dirname, 'segment-check-worker.cjs'));
    await measure(results, progress, 'audit-verify', size, { iterations: 0, aloneMedian: null }, () =>
      sample(
        async () => {
          const report = await verifyTrail(files, keys, null, undefined, checker);
          if (!report.intact) throw new Error(`bench trail does not verify: ${report.problems[0]?.message}`);
          return report;
        },
        { ...plan.heavy(size), minReps: 3, maxReps: 5 },
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
