/**
 * `keyward report` (issue 12): the security metrics, each with the controls
 * it supports evidence for, as one self-contained HTML file. Never a value.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SecurityReport } from '../../shared/report.js';
import { escapeHtml } from '../core/report/report-html.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { CliVault } from './helpers/cli.js';
import { useTempDirs } from './helpers/temp-dirs.js';
import { findInAnyEncoding } from './helpers/vault-file.js';

const tempDir = useTempDirs();

describe('keyward report', () => {
  it('writes the metrics with their controls, no value, no script; figures agree with the vault', async () => {
    const dir = await tempDir();
    const cli = new CliVault(dir);
    await cli.init();
    const shared = 'sk_live_51HzSharedValue0123456789abcdef';
    const weak = 'password1';
    await cli.add('stripe-a', shared, 'api_key');
    await cli.add('stripe-b', shared, 'api_key');
    await cli.expectOk(['add', 'mail', '--type', 'password', '--force'], { stdin: `${weak}\n` });
    await cli.expectOk(['add', 'old-token', '--type', 'token', '--expires', '2020-01-01'], { stdin: 'ghp_0123456789abcdefghijklmnopqrstuvwxyz\n' });
    await cli.expectOk(['compromised', 'stripe-a']);
    await cli.expectOk(['get', 'stripe-b']);

    const json = await cli.json<SecurityReport>(['report']);
    const byId = Object.fromEntries(json.metrics.map((m) => [m.id, m]));
    expect(Object.keys(byId)).toEqual(['strength', 'reuse', 'rotation', 'stale', 'unused', 'audit', 'incidents', 'policy']);
    expect(byId.reuse).toMatchObject({ value: '2', status: 'bad' });
    expect(byId.rotation!.value).toBe('50 %'); // 2 of 4 active credentials overdue: expired, compromised
    expect(byId.rotation!.detail).toMatch(/1 of them marked compromised/);
    expect(byId.stale!.value).toBe('0 stale, 1 expired');
    expect(byId.unused).toMatchObject({ value: '3' });
    expect(byId.audit).toMatchObject({ value: 'intact', status: 'good' });
    expect(byId.incidents).toMatchObject({ value: '1 open, 0 resolved', status: 'attention' });
    expect(byId.strength!.status).not.toBe('good');
    // Evidence, mapped: PCI DSS, ISO 27001, SOX, GDPR each appear.
    const frameworks = new Set(json.metrics.flatMap((m) => m.controls.map((c) => c.framework)));
    expect([...frameworks].sort()).toEqual(['GDPR', 'ISO/IEC 27001:2022', 'PCI DSS v4.0', 'SOX']);
    expect(byId.audit!.controls.map((c) => c.id)).toEqual(expect.arrayContaining(['10.3.2', 'A.8.15']));

    const out = join(dir, 'report.html');
    const written = await cli.expectOk(['report', '--out', out]);
    expect(written.stdout).toMatch(/Rotation compliance: 50 % {2}\(act now\)/);
    const html = await readFile(out);
    const text = html.toString('utf8');
    expect(text).toMatch(/^<!doctype html>/);
    expect(text).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(text).not.toMatch(/<script|src=|href=/i);
    expect(text).toContain('PCI DSS v4.0 8.3.6: Passwords meet minimum length and complexity');
    expect(text).toMatch(/not a certification/);
    for (const secret of [shared, weak, 'ghp_0123456789abcdefghijklmnopqrstuvwxyz', cli.password]) expect(findInAnyEncoding(html, secret)).toBeNull();
    // An existing file is not replaced unless asked.
    const again = await cli.run(['report', '--out', out]);
    expect(again.code).toBe(8);
    await writeFile(out, 'old');
    await cli.expectOk(['report', '--out', out, '--force']);
    expect((await readFile(out, 'utf8')).length).toBeGreaterThan(1000);
    // Making it is recorded.
    expect((await readFile(vaultPaths(cli.path).audit.log, 'utf8')).match(/"action":"report.security"/g)).toHaveLength(3);
  });

  it('escapes what it writes', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  });
});
