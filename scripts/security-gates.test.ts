/** The logic of the security gates (scripts/security-gates.mjs): accepted findings and the install-script policy. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain .mjs module shared with the gate scripts
import * as gates from './security-gates.mjs';

type Finding = { check: string; file: string; line?: number };
type Accepted = { check: string; file: string; reason: string; count?: number };
type Entry = { version: string; hasInstallScript?: boolean; resolved?: string };
const g = gates as {
  findingFile(file: string): string;
  acceptedListProblems(accepted: unknown): string[];
  compareFindings(findings: Finding[], accepted: Accepted[]): { matched: Finding[]; unexpected: Finding[]; stale: Accepted[] };
  undocumented(accepted: Accepted[], doc: string): Accepted[];
  packageNameOf(key: string): string | null;
  parsePolicyKey(key: string): { name: string; versions: string[] | null | 'invalid' };
  policyFor(name: string, entry: Entry, allowScripts: Record<string, unknown>): { policy: boolean | null; notes: string[] };
  installScriptReport(lock: { packages: Record<string, Entry> }, allowScripts: Record<string, unknown>): { packages: Array<{ name: string; policy: boolean | null }>; stale: string[] };
};

const root = join(__dirname, '..');
const REASON = 'Reviewed: the URL comes only from the fixed allowlist in main.';

describe('electronegativity findings against the accepted list', () => {
  it('names files as the list does', () => {
    expect(g.findingFile('N/A')).toBe('(global)');
    expect(g.findingFile('electron\\main.ts')).toBe('electron/main.ts');
    expect(g.findingFile('dist/renderer/assets/index-CUg4RuMK.js')).toBe('dist/renderer/assets/index-*.js');
    expect(g.findingFile('electron/app/window-hardening.ts')).toBe('electron/app/window-hardening.ts');
  });

  it('accepts listed findings up to their count, and reports new and stale ones', () => {
    const accepted = [
      { check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/main.ts', reason: REASON },
      { check: 'CSP_GLOBAL_CHECK', file: '(global)', reason: REASON },
    ];
    const r = g.compareFindings(
      [
        { check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/main.ts', line: 49 },
        { check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/main.ts', line: 90 },
        { check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/other.ts', line: 1 },
      ],
      accepted,
    );
    expect(r.matched.map((f) => f.line)).toEqual([49]);
    expect(r.unexpected.map((f) => `${f.file}:${f.line}`)).toEqual(['electron/main.ts:90', 'electron/other.ts:1']);
    expect(r.stale.map((a) => a.check)).toEqual(['CSP_GLOBAL_CHECK']);
  });

  it('wants a real reason per entry, once each', () => {
    expect(g.acceptedListProblems([{ check: 'X_CHECK', file: 'a.ts', reason: 'fine' }])[0]).toMatch(/reason/);
    expect(g.acceptedListProblems([{ check: 'X_CHECK', file: 'a.ts', reason: REASON }, { check: 'X_CHECK', file: 'a.ts', reason: REASON }])[0]).toMatch(/twice/);
    expect(g.acceptedListProblems({})).toHaveLength(1);
  });

  it('the real accepted list is well formed, and each entry is a row of the gates doc', () => {
    const { accepted } = JSON.parse(readFileSync(join(root, 'scripts', 'electronegativity-accepted.json'), 'utf8')) as { accepted: Accepted[] };
    expect(g.acceptedListProblems(accepted)).toEqual([]);
    const doc = readFileSync(join(root, 'docs', 'security-gates.md'), 'utf8');
    expect(g.undocumented(accepted, doc)).toEqual([]);
    expect(g.undocumented([{ check: 'NEW_CHECK', file: 'x.ts', reason: REASON }], doc)).toHaveLength(1);
  });
});

describe('the allowScripts policy, as npm 11 applies it', () => {
  it('reads policy keys', () => {
    expect(g.packageNameOf('node_modules/a/node_modules/@s/b')).toBe('@s/b');
    expect(g.parsePolicyKey('keytar')).toEqual({ name: 'keytar', versions: null });
    expect(g.parsePolicyKey('@s/b@1.2.3 || 1.2.4')).toEqual({ name: '@s/b', versions: ['1.2.3', '1.2.4'] });
    expect(g.parsePolicyKey('esbuild@^0.28.0').versions).toBe('invalid');
  });

  it('deny wins; unreviewed is null; pins need a resolved URL to approve', () => {
    const entry = { version: '7.9.0', hasInstallScript: true };
    expect(g.policyFor('keytar', entry, { keytar: true }).policy).toBe(true);
    expect(g.policyFor('keytar', entry, { keytar: true, 'keytar@7.9.0': false }).policy).toBe(false);
    expect(g.policyFor('keytar', entry, {}).policy).toBeNull();
    const pinned = g.policyFor('keytar', entry, { 'keytar@7.9.0': true });
    expect(pinned.policy).toBeNull();
    expect(pinned.notes[0]).toMatch(/resolved/);
    expect(g.policyFor('keytar', { ...entry, resolved: 'https://registry.npmjs.org/keytar/-/keytar-7.9.0.tgz' }, { 'keytar@7.9.0': true }).policy).toBe(true);
    expect(g.policyFor('keytar', { ...entry, resolved: 'https://registry.npmjs.org/keytar/-/keytar-7.9.0.tgz' }, { 'keytar@7.9.1': true }).policy).toBeNull();
  });

  it('lists every package with an install script and the stale entries', () => {
    const lock = { packages: { '': { version: '0.1.0' }, 'node_modules/keytar': { version: '7.9.0', hasInstallScript: true }, 'node_modules/x/node_modules/evil': { version: '1.0.0', hasInstallScript: true }, 'node_modules/zod': { version: '4.6.7' } } };
    const r = g.installScriptReport(lock, { keytar: true, gone: false });
    expect(r.packages.map((p) => [p.name, p.policy])).toEqual([
      ['keytar', true],
      ['evil', null],
    ]);
    expect(r.stale).toEqual(['gone']);
  });

  it('this project reviews every install script it has', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, Entry> };
    const r = g.installScriptReport(lock, pkg.allowScripts);
    expect(r.packages.filter((p) => p.policy === null)).toEqual([]);
    expect(r.stale).toEqual([]);
    expect(pkg.allowScripts).toMatchObject({ keytar: true, esbuild: true });
  });
});
