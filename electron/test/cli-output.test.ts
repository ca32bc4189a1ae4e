/**
 * The CLI's output at scale and into closed pipes (issue 8, item 13):
 * `keyward list` on a vault above 125k credentials (the table code once spread
 * one argument per row into Math.max and overflowed the stack), and
 * `keyward list | head` (an unhandled EPIPE printed a stack trace).
 */
import { execFileSync, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printTable } from '../cli/terminal.js';
import { cliEnv, runCli } from './helpers/cli.js';
import { builtCli, repoRoot } from './helpers/paths.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs('keyward-cli-output-', 'all');
const PASSWORD = 'cli-output-test-password';

function seed(vault: string, count: number): void {
  execFileSync(process.execPath, [resolve(repoRoot, 'dist/harness/seed.cjs'), '--vault', vault, '--count', String(count), '--create'], {
    env: cliEnv({ KEYWARD_PASSWORD: PASSWORD }),
    stdio: 'ignore',
  });
}

describe('printTable', () => {
  it('lays out far more rows than a call can take arguments', () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => [`name-${i}`, 'x']);
    const table = printTable(rows, ['NAME', 'T']);
    expect(table.split('\n')).toHaveLength(300_001);
    expect(table.split('\n')[300_000]).toBe('name-299999  x');
  });

  it('pads and clamps by code points, ASCII or not', () => {
    expect(printTable([['ключ', '1'], ['a', '22']], ['N', 'V']).split('\n')).toEqual(['N     V', 'ключ  1', 'a     22']);
    expect(printTable([['x'.repeat(60), '1']], ['N', 'V']).split('\n')[1]).toBe(`${'x'.repeat(47)}…  1`);
  });

  it('escapes control characters and pads by what is shown', () => {
    expect(printTable([['a\nb', '1'], ['\u202Eevil', '2']], ['N', 'V']).split('\n')).toEqual(['N           V', 'a\\nb        1', '\\u202eevil  2']);
  });
});

describe('keyward list at scale and into a closed pipe', () => {
  it('lists a vault of 150,000 credentials', async () => {
    const dir = await tempDir();
    const vault = join(dir, 'big.keyward');
    seed(vault, 150_000);
    const r = await runCli(vault, ['list'], { password: PASSWORD, timeoutMs: 240_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(150_001);
    expect(lines[0]).toMatch(/^NAME\s+TYPE/);
  }, 300_000);

  it('stops quietly when the reader of its output goes away (keyward list | head)', async () => {
    const dir = await tempDir();
    const vault = join(dir, 'pipe.keyward');
    seed(vault, 20_000);
    const child = spawn(process.execPath, [builtCli(), '--vault', vault, '--no-keychain', 'list'], {
      env: cliEnv({ KEYWARD_PASSWORD: PASSWORD }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    // Read the first chunk, then close our end, as `head -1` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('close', (c, s) => done([c, s])));
    expect(stderr).toBe('');
    expect(signal).toBeNull();
    expect(code).toBe(141);
  }, 120_000);
});
