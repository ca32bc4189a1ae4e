/**
 * One rotator step as a child process: its timeout ends the step whatever the
 * children do, output is captured as bytes (never split inside a character),
 * an oversized output ends the step at once, and the step runs in the folder
 * it is told to. Real processes through the real shell.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../core/rotation/run-command.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs('keyward-rotator-run-');
const posix = process.platform !== 'win32';
const env = { ...process.env };

/**
 * Files where the escaped processes a test starts write their pids: after each
 * test (even one that timed out) every one of them is killed, so nothing is left running.
 */
const pidFiles: string[] = [];
afterEach(async () => {
  for (const file of pidFiles.splice(0)) {
    // The escaper may still be starting.
    await vi.waitFor(() => expect(existsSync(file)).toBe(true), { timeout: 3_000 }).catch(() => undefined);
    if (!existsSync(file)) continue;
    try {
      process.kill(Number(readFileSync(file, 'utf8')), 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

async function escapedPid(file: string): Promise<number> {
  await vi.waitFor(() => expect(existsSync(file)).toBe(true));
  return Number(readFileSync(file, 'utf8'));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** A node one-liner that starts `sleep 60` in a new session (setsid), with our stdout, and writes its pid to `pidFile`. */
async function escaperScript(dir: string, pidFile: string): Promise<string> {
  const script = join(dir, 'escape.cjs');
  await writeFile(
    script,
    `const { spawn } = require('node:child_process');
const child = spawn('sleep', ['60'], { detached: true, stdio: ['ignore', 'inherit', 'ignore'] });
require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(child.pid));
child.unref();
`,
  );
  return script;
}

describe.runIf(posix)('runCommand: the timeout ends the step whatever the children do', () => {
  it('a grandchild that escapes the process group (setsid) and keeps stdout open does not keep the step running', { timeout: 15_000 }, async () => {
    const dir = await tempDir();
    const pidFile = join(dir, 'escaped.pid');
    pidFiles.push(pidFile);
    const script = await escaperScript(dir, pidFile);
    // The shell starts the escaper, then waits; the escaped sleep holds the stdout pipe for 60 s.
    const result = await runCommand(`"${process.execPath}" "${script}"; sleep 30`, { stdin: '', env, timeoutMs: 1_000 });
    const pid = await escapedPid(pidFile);
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    // The escaped process is outside our reach (that is the point); the test cleans it up.
    expect(isAlive(pid)).toBe(true);
  });

  it('setsid in the command itself: the step still ends at its timeout', { timeout: 15_000 }, async () => {
    const dir = await tempDir();
    const pidFile = join(dir, 'escaped.pid');
    pidFiles.push(pidFile);
    const result = await runCommand(`setsid sh -c 'echo $$ > "${pidFile}"; exec sleep 60' & sleep 30`, { stdin: '', env, timeoutMs: 1_000 });
    expect(isAlive(await escapedPid(pidFile))).toBe(true);
    expect(result.timedOut).toBe(true);
  });

  it('an output over the cap ends the step at once, even with the pipe held open by an escaped child', { timeout: 15_000 }, async () => {
    const dir = await tempDir();
    const pidFile = join(dir, 'escaped.pid');
    pidFiles.push(pidFile);
    const script = await escaperScript(dir, pidFile);
    const flood = `process.stdout.write(Buffer.alloc(2 * 1024 * 1024, 0x61))`;
    const result = await runCommand(`"${process.execPath}" "${script}"; "${process.execPath}" -e "${flood}"; sleep 30`, {
      stdin: '',
      env,
      timeoutMs: 20_000,
      maxOutputBytes: 1024 * 1024,
    });
    await escapedPid(pidFile);
    expect(result).toMatchObject({ tooLarge: true, timedOut: false, exitCode: null, stdout: '' });
  });

  it('a step that finishes normally reports its exit code and its whole output', async () => {
    const result = await runCommand(`cat; exit 7`, { stdin: 'hello\n', env, timeoutMs: 10_000 });
    expect(result).toEqual({ exitCode: 7, timedOut: false, tooLarge: false, failedToStart: false, stdout: 'hello\n' });
  });
});

describe.runIf(posix)('runCommand: output and folder', () => {
  it('multi-byte characters split across pipe reads arrive intact', async () => {
    // 3-byte characters in 64 KiB writes: pipe reads split some of them.
    const value = '€'.repeat(300_000);
    const result = await runCommand(`cat`, { stdin: value, env, timeoutMs: 10_000, maxOutputBytes: 4 * 1024 * 1024 });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.length).toBe(value.length);
    expect(result.stdout === value).toBe(true);
  });

  it('output between the default cap and a larger cap given for the step is kept whole', async () => {
    const big = 'k'.repeat(1536 * 1024);
    const result = await runCommand(`cat`, { stdin: big, env, timeoutMs: 10_000, maxOutputBytes: 4 * 1024 * 1024 });
    expect(result.tooLarge).toBe(false);
    expect(result.stdout.length).toBe(big.length);
    const capped = await runCommand(`cat`, { stdin: big, env, timeoutMs: 10_000 });
    expect(capped.tooLarge).toBe(true);
  });

  it('runs in the folder it is given', async () => {
    const dir = await tempDir();
    const result = await runCommand(`pwd`, { stdin: '', env, timeoutMs: 10_000, cwd: dir });
    expect(result.stdout.trim()).toBe(dir);
  });
});
