/**
 * What each figure means, and printing it: a readable table (with a legend
 * saying exactly what every operation includes) and the same data as JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { budgetFor, CLI_LIST_PEAK_MB_BUDGET, FILE_BYTES_PER_CREDENTIAL_BUDGET, type Budget } from './budgets.js';
import { summarize, type Samples, type Summary } from './stats.js';

export type Mode = 'in-process' | 'cli';

export type OperationId =
  | 'kdf-100k'
  | 'kdf-600k'
  | 'node-start'
  | 'cli-start'
  | 'open-no-kdf'
  | 'open-whole'
  | 'open-kdf-100k'
  | 'open-kdf-600k'
  | 'list'
  | 'search'
  | 'get'
  | 'get-via-app'
  | 'add-save'
  | 'loop-block'
  | 'loop-block-open'
  | 'loop-block-rewrite'
  | 'loop-block-reminders'
  | 'get-lookup'
  | 'audit-append-read'
  | 'audit-append-write'
  | 'audit-verify';

export interface OperationInfo {
  label: string;
  includes: string;
}

const CLI = 'node dist/cli/keyward.cjs --vault F --no-keychain, KEYWARD_PASSWORD in env, NODE_EXTRA_CA_CERTS unset (this machine sets it; a desktop user\'s does not: it adds ~70 ms to every Node start); wall clock from spawn() to the process closing its pipes';

export const OPERATIONS: Record<Mode, Partial<Record<OperationId, OperationInfo>>> = {
  'in-process': {
    'kdf-100k': {
      label: 'KDF alone, 100k iterations',
      includes: 'derivePasswordKey() only: PBKDF2-HMAC-SHA256, 100,000 iterations (the floor), on the libuv pool. Vault-independent.',
    },
    'kdf-600k': {
      label: 'KDF alone, 600k iterations',
      includes: 'derivePasswordKey() only: PBKDF2-HMAC-SHA256, 600,000 iterations (the default). Vault-independent.',
    },
    'open-no-kdf': {
      label: 'open, KDF excluded',
      includes:
        "unlockVault(path, {keychain:true}, {credentials:'in-background'}) as the app unlocks, with an in-memory keychain holding the vault key: read file, SHA-256 checksum, header parse, HKDF subkeys, AES-GCM decrypt of the snapshot and change records, the head and the name index parsed; no PBKDF2. The session answers from here (a lookup by name or id decodes its one chunk); the credentials' metadata is decoded after, in the background — see \"open, until the list is whole\". Warm page cache; heap garbage-collected before each run, and 150 ms left for the collector’s concurrent sweeping to end (outside the timing), as for a first unlock.",
    },
    'open-whole': {
      label: 'open, until the list is whole',
      includes:
        'As "open, KDF excluded", until the background decoding has made the whole list (every chunk inflated and parsed, the change records applied): when the app\'s list, search, Health and Rotation screens can answer. Paced: the event loop runs between chunks (see "longest event-loop block (open)").',
    },
    'open-kdf-100k': {
      label: 'open, KDF included (100k)',
      includes: 'unlockVault(path, {password}) on a vault at the 100,000-iteration floor: everything in "open, KDF excluded" plus lockout-file check and PBKDF2 + key unwrap.',
    },
    'open-kdf-600k': {
      label: 'open, KDF included (600k)',
      includes: 'As "open, KDF included (100k)" on the same vault re-wrapped (passwd) at the default 600,000 iterations.',
    },
    list: {
      label: 'list',
      includes: 'service.list() on an unlocked session: summaries of every credential, plus one in-memory audit event. No file I/O; warm heap (no forced GC), as when the list is redrawn.',
    },
    search: {
      label: 'search',
      includes: `service.list({query:'stripe'}) (~1 in 16 match by provider/description): summaries + case-insensitive match over name, provider, description, tags; one audit event. Warm heap, as when typing in a search box.`,
    },
    get: {
      label: 'get (reveal one value), audited',
      includes:
        'service.reveal(NAME) of a random credential by name, as the app and CLI do it: lookup, one AES-GCM decrypt, and its record in the durable audit trail (trail lock file, append, head rewrite; a read is not fsynced one by one).',
    },
    'get-lookup': {
      label: 'get (reveal one value), lookup only',
      includes: 'The same reveal with its audit event kept in memory only: lookup by name and one AES-GCM decrypt. "audited" minus this is what the trail adds to a read.',
    },
    'audit-append-read': {
      label: 'audit append, a read (records/s = 1000 / median)',
      includes:
        "AuditTrail.record of one read event by itself, as every operation's door writes it: the trail's lock file, the tip check (stat + head read), the watch (detector state updated and rewritten, sealed), the append and the head rewrite; not fsynced one by one.",
    },
    'audit-append-write': {
      label: 'audit append, a change (fsynced)',
      includes: "As \"audit append, a read\", for a change: the append and the head rewrite are fsynced before the operation's result is handed out.",
    },
    'audit-verify': {
      label: 'audit verify (records = size)',
      includes: 'verifyTrail over a trail of that many records, sealed into segments of 65,536 as a trail that long is (written directly, not one operation at a time): the segments index, each segment\'s records (parse, canonical form, HMAC-SHA256 link) and Merkle root — half of the segments in one worker thread, half here — then the live log and the head. The files are read before timing.',
    },
    'add-save': {
      label: 'add-then-save',
      includes:
        'service.add() of one api_key: validation, policy, write lock (create/remove lock file), stat for changes by others, seal value, then (format v2) one change record — the new credential and the body\'s small members — sealed with AES-GCM, appended and fsynced; a copy of the file into the backups first when one is due (every save up to 1 MiB, else every 10 minutes). Heap garbage-collected before each run, and 150 ms left for the collector’s concurrent sweeping to end (outside the timing).',
    },
    'loop-block': {
      label: 'longest event-loop block (add-then-save)',
      includes:
        'The longest stretch the event loop could not run (perf_hooks.monitorEventLoopDelay, 1 ms resolution, max) while one add-then-save ran: what the app\'s main process would fail to serve meanwhile.',
    },
    'loop-block-open': {
      label: 'longest event-loop block (open)',
      includes:
        'As "longest event-loop block (add-then-save)", while one open ran until the list was whole (as "open, until the list is whole"): decryption and decoding pause for the event loop every ~8 ms.',
    },
    'loop-block-reminders': {
      label: 'longest event-loop block (reminders)',
      includes:
        'As "longest event-loop block (add-then-save)", while the app\'s reminder scheduler made one check, as the app builds it: a look at every credential (reminderViewPaced: due dates from the rules, the reminders that show now sorted soonest first, the next one to arm a timer for), then sorting out which reminders are new — each in steps that pause for the event loop.',
    },
    'loop-block-rewrite': {
      label: 'longest event-loop block (rewrite)',
      includes:
        'As "longest event-loop block (add-then-save)", while the whole file was rewritten (a forced compaction: encode, seal and checksum the snapshot, backup link, atomic replace, fsyncs): what a compaction, a password change or a key rotation costs the main process at most at once.',
    },
  },
  cli: {
    'node-start': { label: 'node start (baseline)', includes: 'node -e 0, NODE_EXTRA_CA_CERTS unset as for every CLI figure: the Node runtime alone, for reference. Vault-independent.' },
    'cli-start': { label: 'CLI start (keyward --help)', includes: `${CLI}; --help only: Node start + loading the CLI bundle, no vault. Vault-independent.` },
    'open-kdf-100k': {
      label: 'open (show NAME), KDF 100k',
      includes: `${CLI}; "show NAME" (metadata only) on a vault at the 100,000-iteration floor: process start + unlock with PBKDF2 + lookup + output.`,
    },
    get: {
      label: 'get NAME, KDF 100k',
      includes: `${CLI}; "get NAME" on a vault at the 100,000-iteration floor: process start + unlock with PBKDF2 + reveal + output.`,
    },
    'get-via-app': {
      label: 'get NAME through the app',
      includes:
        'node dist/cli/keyward.cjs --vault F get NAME, with no password given, while an app (the same local API, served by a process of its own, bench/app-stand-in.ts, as Electron main is, with the vault unlocked and cli_integration_minutes on) serves the vault, and this terminal session already approved: process start + session file + socket round trip + reveal + output. No KDF, whatever its cost.',
    },
    list: { label: 'list, KDF 100k', includes: `${CLI}; "list" (human table of every credential, read and discarded by the bench), KDF at the floor.` },
    search: { label: 'search (list --search), KDF 100k', includes: `${CLI}; "list --search stripe", KDF at the floor.` },
    'add-save': {
      label: 'add-then-save, KDF 100k',
      includes: `${CLI}; "add NAME --type api_key …" with the value on stdin, KDF at the floor: process start + unlock + add with fsync'd atomic save.`,
    },
    'open-kdf-600k': {
      label: 'open (get NAME), KDF 600k',
      includes: `${CLI}; "get NAME" on the same vault re-wrapped at the default 600,000 iterations: KDF included, as a user experiences it.`,
    },
  },
};

export interface Result {
  mode: Mode;
  op: OperationId;
  label: string;
  /** Credentials in the vault; null for vault-independent figures. */
  size: number | null;
  /** PBKDF2 iterations run inside each timed sample (0 when none). */
  kdfIterationsInside: number;
  /** Wall-clock ms. */
  summary: Summary | null;
  /** Median CPU ms of this process per run, all threads (in-process only; less sensitive than wall time to other load on the machine). */
  cpuMedian: number | null;
  /**
   * Median of (run − "KDF alone" measured just before that run, same iteration count):
   * derived by subtraction, not measured.
   */
  medianExclKdf: number | null;
  budget: Budget | null;
  /** "within" or "over ×k" against the budgeted figure; null without a budget. */
  vsBudget: string | null;
  /** Wall-clock ms of every recorded run. */
  samples: number[];
  error?: string;
}

export interface FixtureInfo {
  size: number;
  fileBytes: number;
  buildMs: number;
  /** Peak resident memory of one `keyward list` (table) on this vault, MB; null without CLI figures. */
  cliListPeakMB: number | null;
}

export interface Report {
  meta: Record<string, unknown>;
  fixtures: FixtureInfo[];
  operations: { mode: Mode; op: OperationId; label: string; includes: string }[];
  results: Result[];
}

export function makeResult(
  mode: Mode,
  op: OperationId,
  size: number | null,
  samples: Samples | null,
  kdf: { iterations: number; aloneMedian: number | null },
  error?: string,
): Result {
  const info = OPERATIONS[mode][op];
  const summary = samples && samples.wall.length ? summarize(samples.wall) : null;
  const cpuMedian = samples && samples.cpu.length ? summarize(samples.cpu).median : null;
  let medianExclKdf: number | null = null;
  if (summary && kdf.iterations > 0) {
    if (samples && samples.probe.length === samples.wall.length) medianExclKdf = summarize(samples.wall.map((ms, i) => ms - samples.probe[i]!)).median;
    else if (kdf.aloneMedian !== null) medianExclKdf = summary.median - kdf.aloneMedian;
  }
  const budget = budgetFor(mode, op, size) ?? null;
  let vsBudget: string | null = null;
  if (budget && summary) {
    const figure = budget.against === 'median' ? summary.median : medianExclKdf;
    if (figure !== null) vsBudget = figure <= budget.ms ? 'within' : `over ×${(figure / budget.ms).toFixed(2)}`;
  }
  return {
    mode,
    op,
    label: info?.label ?? op,
    size,
    kdfIterationsInside: kdf.iterations,
    summary,
    cpuMedian: cpuMedian === null ? null : Math.round(cpuMedian * 1000) / 1000,
    medianExclKdf,
    budget,
    vsBudget,
    samples: (samples?.wall ?? []).map((ms) => Math.round(ms * 1000) / 1000),
    ...(error ? { error } : {}),
  };
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1) return ms.toFixed(3);
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

const formatSize = (size: number | null) => (size === null ? '—' : size >= 1000 ? `${size / 1000}k` : String(size));

function table(rows: string[][], headers: string[], rightAligned: Set<number>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function renderTable(report: Report): string {
  const headers = ['MODE', 'OPERATION', 'SIZE', 'MEDIAN ms', 'P95 ms', 'MIN ms', 'N', 'CPU ms', 'EXCL. KDF ms', 'BUDGET ms', 'VS BUDGET'];
  const rows = report.results.map((r) => [
    r.mode,
    r.label,
    formatSize(r.size),
    r.error ? 'FAILED' : formatMs(r.summary?.median),
    formatMs(r.summary?.p95),
    formatMs(r.summary?.min),
    String(r.summary?.n ?? 0),
    formatMs(r.cpuMedian),
    formatMs(r.medianExclKdf),
    r.budget ? `≤ ${r.budget.ms}${r.budget.against === 'median' ? '' : ' (excl. KDF)'}` : '',
    r.vsBudget ?? '',
  ]);
  const out = [table(rows, headers, new Set([2, 3, 4, 5, 6, 7, 8, 9]))];
  const failures = report.results.filter((r) => r.error);
  if (failures.length) {
    out.push('', 'Failures (no timing recorded):');
    for (const f of failures) out.push(`  ${f.mode} / ${f.label} / ${formatSize(f.size)}: ${f.error}`);
  }
  out.push(
    '',
    'What each figure includes:',
    ...report.operations.map((o) => `  [${o.mode}] ${o.label}: ${o.includes}`),
    '',
    'MEDIAN, P95, MIN: wall-clock ms per run. CPU ms: median CPU time of the benchmark process per run, all threads (in-process only); when it is far below the wall time, the run waited on I/O, the KDF thread or other load on the machine.',
    'EXCL. KDF = median over runs of (run − "KDF alone" timed in this process just before that run, at the iteration count the run uses): derived by subtraction, not measured, so it carries the noise of both.',
    'Budgets are from issue 11 (issue 2 where 11 names none) and are shown for comparison only; nothing here fails on a timing.',
    `Machine: ${report.meta.cpuCount} × ${report.meta.cpu}, Node ${report.meta.node}; 1-minute load average ${JSON.stringify(report.meta.loadAverage1m)} (other work on a shared machine inflates wall times; compare CPU ms).`,
    `Fixtures: ${report.fixtures.map((f) => `${formatSize(f.size)} = ${(f.fileBytes / 1e6).toFixed(1)} MB on disk, ${Math.round(f.fileBytes / f.size)} bytes per credential (budget ≤ ${FILE_BYTES_PER_CREDENTIAL_BUDGET}) (built in ${formatMs(f.buildMs)} ms)`).join('; ')}.`,
    ...cliListPeakMemory(report.fixtures),
    ...cliGetAgainstNodeStart(report.results),
    ...cliGetThroughAppAgainstNodeStart(report.results),
    '',
    'How each figure grows with the vault (median ms, then the factor from one size to the next):',
    ...growthLines(report.results),
  );
  return out.join('\n');
}

/** Issue 11: peak memory of the CLI's list at 50k, at most 100 MB (printed at every size, so the growth shows where 50k lands). */
function cliListPeakMemory(fixtures: FixtureInfo[]): string[] {
  const measured = fixtures.filter((f) => f.cliListPeakMB !== null);
  if (!measured.length) return [];
  const figures = measured.map((f) => `${formatSize(f.size)} = ${Math.round(f.cliListPeakMB!)} MB`).join(', ');
  return [`CLI list, peak memory (resident set, median of 3 runs): ${figures} (budget ≤ ${CLI_LIST_PEAK_MB_BUDGET} MB at 50k).`];
}

/** Issue 11: CLI get at 10k, KDF excluded, within twice a bare Node start measured in the same run. */
function cliGetAgainstNodeStart(results: Result[]): string[] {
  const node = results.find((r) => r.mode === 'cli' && r.op === 'node-start')?.summary?.median;
  const get = results.find((r) => r.mode === 'cli' && r.op === 'get' && r.size === 10_000)?.medianExclKdf;
  if (node === undefined || get === undefined || get === null) return [];
  return [`CLI get at 10k, KDF excluded: ${formatMs(get)} ms against 2 × node start = ${formatMs(2 * node)} ms (issue 11's budget): ${get <= 2 * node ? 'within' : `over ×${(get / (2 * node)).toFixed(2)}`}.`];
}

/** Issue 13: CLI get through the running app within 1.2 × a bare Node start, whatever the KDF costs. */
function cliGetThroughAppAgainstNodeStart(results: Result[]): string[] {
  const node = results.find((r) => r.mode === 'cli' && r.op === 'node-start')?.summary?.median;
  const got = results.filter((r) => r.mode === 'cli' && r.op === 'get-via-app');
  if (node === undefined || got.length === 0) return [];
  return got.map((r) => {
    const ms = r.summary?.median ?? NaN;
    return `CLI get through the app at ${formatSize(r.size ?? 0)}: ${formatMs(ms)} ms against 1.2 × node start = ${formatMs(1.2 * node)} ms (issue 13's budget): ${ms <= 1.2 * node ? 'within' : `over ×${(ms / (1.2 * node)).toFixed(2)}`}.`;
  });
}

/** One line per operation measured at more than one size: its medians and how much each step multiplies them. */
function growthLines(results: Result[]): string[] {
  const byOp = new Map<string, Result[]>();
  for (const r of results) {
    if (r.size === null || !r.summary) continue;
    const key = `[${r.mode}] ${r.label}`;
    byOp.set(key, [...(byOp.get(key) ?? []), r]);
  }
  const lines: string[] = [];
  for (const [key, rs] of byOp) {
    if (rs.length < 2) continue;
    const sorted = [...rs].sort((a, b) => a.size! - b.size!);
    const steps = sorted.map((r, i) => {
      const ms = formatMs(r.summary!.median);
      if (i === 0) return `${formatSize(r.size)} ${ms}`;
      const factor = r.summary!.median / Math.max(sorted[i - 1]!.summary!.median, 1e-6);
      return `${formatSize(r.size)} ${ms} (×${factor.toFixed(1)})`;
    });
    lines.push(`  ${key}: ${steps.join(' → ')}`);
  }
  return lines.length ? lines : ['  (one size only)'];
}

export function writeJson(path: string, report: Report): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(report, null, 2) + '\n');
}
