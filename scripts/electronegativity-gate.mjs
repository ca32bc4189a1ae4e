// Security gate: Doyensec Electronegativity over Electron main's sources
// (electron/, without tests) and the built renderer (dist/renderer, so run the
// build first). Electronegativity itself exits 0 whatever it finds, and its
// command line hides files it could not parse when it writes a report, so
// this runs its scanner directly: it fails on any finding that is not in
// scripts/electronegativity-accepted.json (check id + file + reason, each also
// listed in docs/security-gates.md), on accepted entries that no longer match
// anything, and on any file the scanner could not parse.
// The SARIF report is kept with --keep (path printed). docs/security-gates.md.
//
// Offline it spends ~10 s waiting for Electron's release list; that is expected.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acceptedListProblems, compareFindings, findingFile, undocumented } from './security-gates.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const keep = process.argv.includes('--keep');

const ACCEPTED_FILE = 'scripts/electronegativity-accepted.json';
const DOCS = ['docs/security-gates.md', 'docs/security.md'];
/** What is scanned, relative to the repository; files under these, minus tests. */
const TARGETS = ['electron', 'dist/renderer'];
const SCANNED = /\.(?:[cm]?js|jsx|ts|tsx|html?)$/;
const isTest = (path) => /\.(?:test|spec)\.[cm]?[jt]sx?$/.test(path) || path.split(sep).includes('test');
/** Fewer than this many checks loaded means a broken install, not a clean app. */
const MIN_CHECKS = 40;

let work = null;
function cleanUp() {
  if (work && !keep) rmSync(work, { recursive: true, force: true });
}

function fail(lines) {
  cleanUp();
  console.error(['electronegativity gate: FAILED', ...lines.map((l) => `  ${l}`)].join('\n'));
  process.exit(1);
}

/** The scanner writes its report asynchronously after it returns: wait for it (and read it back). */
async function readReport(file) {
  for (let i = 0; i < 100; i++) {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return null;
}

function electronVersion() {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  } catch {
    return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.electron;
  }
}

if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) fail(['dist/renderer/index.html is missing: run "npm run build" first.']);

const acceptedDoc = JSON.parse(readFileSync(join(root, ACCEPTED_FILE), 'utf8'));
const accepted = acceptedDoc.accepted;
const listProblems = acceptedListProblems(accepted);
if (listProblems.length) fail([`${ACCEPTED_FILE}:`, ...listProblems]);

// One scan of a copy that keeps the repository's layout, so the app is judged as a
// whole (global checks) and findings come back with repository-relative paths.
work = mkdtempSync(join(tmpdir(), 'keyward-electronegativity-'));
const scanRoot = join(work, 'scan');
let copied = 0;
for (const target of TARGETS) {
  cpSync(join(root, target), join(scanRoot, target), {
    recursive: true,
    filter: (src) => {
      const rel = relative(root, src);
      if (isTest(rel)) return false;
      if (SCANNED.test(rel)) copied++;
      return true;
    },
  });
}
if (copied === 0) fail(['nothing to scan.']);

const version = electronVersion();
const sarif = join(work, 'electronegativity.sarif');
let result;
try {
  const run = require('@doyensec/electronegativity/dist/runner.js');
  result = await (run.default ?? run)(
    {
      input: scanRoot,
      output: sarif,
      isSarif: true,
      isRelative: true,
      isVerbose: false,
      customScan: [],
      excludeFromScan: [],
      electronVersionOverride: version,
      parserPlugins: [],
    },
    false,
  );
} catch (err) {
  fail([`Electronegativity could not run: ${err instanceof Error ? err.message : String(err)}`, 'Is @doyensec/electronegativity installed (npm ci)?']);
}

const report = await readReport(sarif);
const reported = report?.runs?.[0]?.results?.length;
if (reported !== result.issues.length) fail([`the SARIF report (${reported ?? 'missing'}) and the scanner (${result.issues.length}) disagree on the number of findings.`]);

const checks = result.globalChecks + result.atomicChecks;
const parseErrors = result.errors.filter((e) => !e.tolerable);
const tolerable = result.errors.filter((e) => e.tolerable);
const findings = result.issues.map((i) => ({
  check: i.id,
  file: findingFile(i.file),
  line: i.location?.line ?? 0,
  severity: i.severity?.name ?? '?',
  confidence: i.confidence?.name ?? '?',
  review: Boolean(i.manualReview),
  sample: typeof i.sample === 'string' ? i.sample.slice(0, 100) : '',
}));
const { matched, unexpected, stale } = compareFindings(findings, accepted);
const docText = DOCS.filter((d) => existsSync(join(root, d)))
  .map((d) => readFileSync(join(root, d), 'utf8'))
  .join('\n');
const notDocumented = undocumented(accepted, docText);

const show = (f) => `${f.check} ${f.severity}/${f.confidence}${f.review ? ' (review)' : ''} — ${f.file}${f.line ? `:${f.line}` : ''}${f.sample ? `  ${f.sample}` : ''}`;
console.log(`electronegativity ${require('@doyensec/electronegativity/package.json').version}: ${checks} checks, Electron ${version}, ${copied} files from ${TARGETS.join(', ')} (tests left out)`);
for (const f of matched) console.log(`  accepted: ${show(f)}`);
for (const e of tolerable) console.log(`  note: tolerable parse problem in ${relative(scanRoot, e.file)}: ${e.message}`);
if (keep) console.log(`  SARIF report: ${sarif}`);

const problems = [];
if (checks < MIN_CHECKS) problems.push(`only ${checks} checks loaded (expected ${MIN_CHECKS} or more): the install looks broken.`);
for (const e of parseErrors) problems.push(`could not parse ${relative(scanRoot, e.file)} (so it was not checked): ${e.message}`);
for (const f of unexpected) problems.push(`new finding: ${show(f)} — fix it, or accept it in ${ACCEPTED_FILE} with a reason and list it in docs/security-gates.md.`);
for (const a of stale) problems.push(`accepted but no longer found: ${a.check} in ${a.file} — remove it from ${ACCEPTED_FILE} and from the docs.`);
for (const a of notDocumented) problems.push(`accepted but not in ${DOCS[0]}: ${a.check} in ${a.file} (one table row naming both, with the reason).`);
if (problems.length) fail(problems);
cleanUp();
console.log(`electronegativity gate: passed (${matched.length} accepted finding${matched.length === 1 ? '' : 's'}, none new)`);
