/**
 * Wrong master passwords: a clear AUTH_FAILED; after 5 in a row every further
 * attempt waits 5 s, 10 s, 20 s, … capped at 5 minutes — even with the right
 * password — and the counter lives in a file, so a new process inherits it.
 */
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { KeywardError } from '../core/errors.js';
import { FakeClock } from '../core/ports/clock.js';
import { delaySecondsAfter, FREE_ATTEMPTS, Lockout, MAX_DELAY_S } from '../core/vault/lockout.js';
import { unlockVault, type VaultDeps } from '../core/vault/vault-session.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { createTestVault, testDeps } from './helpers/builders.js';
import { CliVault } from './helpers/cli.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();

async function attempt(path: string, password: string, deps: VaultDeps): Promise<KeywardError | 'opened'> {
  try {
    (await unlockVault(path, { password }, deps)).lock();
    return 'opened';
  } catch (err) {
    if (err instanceof KeywardError) return err;
    throw err;
  }
}

describe('the strict unlock backoff (security policy unlock_backoff)', () => {
  it('is free for 3 failures, then doubles from 30 s up to 30 minutes, and outlives a success (the file is its only place)', async () => {
    expect(Array.from({ length: 11 }, (_, i) => delaySecondsAfter(i, 'strict'))).toEqual([0, 0, 0, 30, 60, 120, 240, 480, 960, 1800, 1800]);
    const dir = await tempDir();
    const path = `${dir}/v.lockout`;
    const clock = new FakeClock(new Date('2026-12-01T10:00:00Z'));
    const lockout = new Lockout(testDeps().fs, clock, path);
    await lockout.setMode('strict');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ failures: 0, lastFailureAt: 0, backoff: 'strict' });
    expect(await lockout.recordFailure()).toEqual({ failures: 1, free: 3 });
    await lockout.recordSuccess();
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ failures: 0, lastFailureAt: 0, backoff: 'strict' });
    for (let i = 0; i < 3; i++) await lockout.recordFailure();
    await expect(lockout.assertMayAttempt()).rejects.toMatchObject({ code: 'LOCKED_OUT', extra: { retryAfterSeconds: 30 } });
    // Back to standard (the policy loosened, with the master password): the count stays, the delays are standard's.
    await lockout.setMode('standard');
    await expect(lockout.assertMayAttempt()).resolves.toBeUndefined();
  });
});

describe('the delay schedule', () => {
  it('is free for 5 failures, then doubles from 5 s, capped at 5 minutes', () => {
    const schedule = Array.from({ length: 14 }, (_, i) => delaySecondsAfter(i));
    expect(schedule).toEqual([0, 0, 0, 0, 0, 5, 10, 20, 40, 80, 160, 300, 300, 300]);
    expect(FREE_ATTEMPTS).toBe(5);
    expect(MAX_DELAY_S).toBe(300);
    expect(delaySecondsAfter(1000)).toBe(300);
  });
});

describe('Lockout with a fake clock', () => {
  it('refuses attempts while a delay runs and allows them when it ends', async () => {
    const dir = await tempDir();
    const clock = new FakeClock();
    const deps = testDeps({ clock });
    const lockout = new Lockout(deps.fs, clock, vaultPaths(`${dir}/v.keyward`).lockout);
    for (let i = 0; i < 5; i++) {
      await lockout.assertMayAttempt();
      await lockout.recordFailure();
    }
    let expected = 5;
    for (let failures = 5; failures < 12; failures++) {
      const err = await lockout.assertMayAttempt().catch((e: unknown) => e as KeywardError);
      expect(err).toMatchObject({ code: 'LOCKED_OUT' });
      expect((err as KeywardError).toInfo().retryAfterSeconds).toBe(expected);
      expect((err as KeywardError).message).toMatch(new RegExp(`${failures} in a row\\). Try again in ${expected} s`));
      clock.advance(expected * 1000 - 1);
      await expect(lockout.assertMayAttempt()).rejects.toMatchObject({ code: 'LOCKED_OUT', extra: { retryAfterSeconds: 1 } });
      clock.advance(1);
      await lockout.assertMayAttempt();
      await lockout.recordFailure();
      expected = Math.min(expected * 2, 300);
    }
    expect(await lockout.failures()).toBe(12);
    await expect(lockout.assertMayAttempt()).rejects.toMatchObject({ extra: { retryAfterSeconds: 300 } });
    await lockout.recordSuccess();
    await lockout.assertMayAttempt();
    expect(await lockout.failures()).toBe(0);
  });

  it('a damaged counter file starts a lockout rather than resetting it', async () => {
    const dir = await tempDir();
    const path = vaultPaths(`${dir}/v.keyward`).lockout;
    await writeFile(path, 'not json');
    const lockout = new Lockout(testDeps().fs, { now: () => new Date() }, path);
    expect(await lockout.failures()).toBe(FREE_ATTEMPTS);
    await expect(lockout.assertMayAttempt()).rejects.toMatchObject({ code: 'LOCKED_OUT' });
  });
});

describe('failures stamped in the future (a clock that ran ahead, then was set right)', () => {
  const DAYS_3 = 3 * 24 * 60 * 60 * 1000;

  /** A lockout file written by `content(now)`, read with a fake clock standing at `now`. */
  async function lockoutWith(content: (now: number) => string, mtime?: (now: number) => Date) {
    const dir = await tempDir();
    const path = vaultPaths(`${dir}/v.keyward`).lockout;
    const clock = new FakeClock(new Date(Date.now()));
    const now = clock.now().getTime();
    await writeFile(path, content(now));
    if (mtime) await utimes(path, mtime(now), mtime(now));
    return { path, clock, now, lockout: new Lockout(testDeps().fs, clock, path) };
  }

  it('delay the right password by at most the normal delay from now, and then let it in', async () => {
    const { lockout, clock, now, path } = await lockoutWith((t) => JSON.stringify({ failures: 6, lastFailureAt: t + DAYS_3 }));
    const err = (await lockout.assertMayAttempt().catch((e: unknown) => e)) as KeywardError;
    expect(err).toMatchObject({ code: 'LOCKED_OUT' });
    expect(err.toInfo().retryAfterSeconds).toBeLessThanOrEqual(MAX_DELAY_S);
    expect(err.toInfo().retryAfterSeconds).toBe(delaySecondsAfter(6)); // dated now: 10 s
    // The wait really ends: the failure is not re-dated to "now" on every read.
    clock.advance(delaySecondsAfter(6) * 1000);
    await lockout.assertMayAttempt();
    expect(await lockout.failures()).toBe(6); // clamping forgets no failure
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ failures: 6, lastFailureAt: now });
  });

  it('never wait longer than the maximum delay, however many failures', async () => {
    const { lockout, clock } = await lockoutWith((t) => JSON.stringify({ failures: 40, lastFailureAt: t + DAYS_3 }));
    await expect(lockout.assertMayAttempt()).rejects.toMatchObject({ code: 'LOCKED_OUT', extra: { retryAfterSeconds: MAX_DELAY_S } });
    clock.advance(MAX_DELAY_S * 1000);
    await lockout.assertMayAttempt();
  });

  it('a damaged counter file with a future mtime starts a lockout of the normal length, dated now', async () => {
    const { lockout, clock } = await lockoutWith(() => 'not json', (t) => new Date(t + DAYS_3));
    await expect(lockout.assertMayAttempt()).rejects.toMatchObject({ code: 'LOCKED_OUT', extra: { retryAfterSeconds: delaySecondsAfter(FREE_ATTEMPTS) } });
    clock.advance(delaySecondsAfter(FREE_ATTEMPTS) * 1000);
    await lockout.assertMayAttempt();
    expect(await lockout.failures()).toBe(FREE_ATTEMPTS);
  });

  it('a negative failure count is damage, not credit', async () => {
    const { lockout } = await lockoutWith(() => JSON.stringify({ failures: -1_000, lastFailureAt: 0 }));
    expect(await lockout.failures()).toBe(FREE_ATTEMPTS);
  });

  it('the next failure counts on from the stored count, dated by the clock', async () => {
    const { lockout, clock } = await lockoutWith((t) => JSON.stringify({ failures: 5, lastFailureAt: t + DAYS_3 }));
    await expect(lockout.assertMayAttempt()).rejects.toMatchObject({ extra: { retryAfterSeconds: delaySecondsAfter(5) } });
    clock.advance(delaySecondsAfter(5) * 1000);
    await lockout.assertMayAttempt();
    expect((await lockout.recordFailure()).failures).toBe(6);
    await expect(lockout.assertMayAttempt()).rejects.toMatchObject({ extra: { retryAfterSeconds: delaySecondsAfter(6) } });
  });
});

describe('unlocking with wrong passwords (real KDF, fake clock)', () => {
  it('counts down, then delays even the right password, and resets after a success', async () => {
    const dir = await tempDir();
    const clock = new FakeClock();
    const v = await createTestVault(dir, { deps: { clock } });
    v.session.lock();
    const messages: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const err = await attempt(v.path, `wrong-${i}`, v.deps);
      expect(err).toMatchObject({ code: 'AUTH_FAILED' });
      messages.push((err as KeywardError).message);
    }
    expect(messages[0]).toBe('Wrong master password. 4 more attempts before attempts are delayed.');
    expect(messages[3]).toBe('Wrong master password. 1 more attempt before attempts are delayed.');
    expect(messages[4]).toBe('Wrong master password. Further attempts are now delayed.');

    // The right password is refused too while the delay runs: the delay is on attempts, not on failures.
    expect(await attempt(v.path, v.password, v.deps)).toMatchObject({ code: 'LOCKED_OUT', extra: { retryAfterSeconds: 5 } });
    clock.advance(5_000);
    expect(await attempt(v.path, 'wrong-6', v.deps)).toMatchObject({ code: 'AUTH_FAILED' });
    expect(await attempt(v.path, v.password, v.deps)).toMatchObject({ code: 'LOCKED_OUT', extra: { retryAfterSeconds: 10 } });

    // A new process (new deps, same files) inherits the count.
    const restarted = testDeps({ clock });
    expect(await new Lockout(restarted.fs, clock, vaultPaths(v.path).lockout).failures()).toBe(6);
    expect(await attempt(v.path, v.password, restarted)).toMatchObject({ code: 'LOCKED_OUT' });

    // Keep failing: the wait grows to the cap and stays there.
    for (const wait of [10, 20, 40, 80, 160, 300, 300]) {
      clock.advance(wait * 1000);
      expect(await attempt(v.path, 'still-wrong', restarted)).toMatchObject({ code: 'AUTH_FAILED' });
    }
    expect(await attempt(v.path, v.password, restarted)).toMatchObject({ code: 'LOCKED_OUT', extra: { retryAfterSeconds: 300 } });
    clock.advance(300_000);
    expect(await attempt(v.path, v.password, restarted)).toBe('opened');
    expect(await new Lockout(restarted.fs, clock, vaultPaths(v.path).lockout).failures()).toBe(0);
    // And the next wrong password starts a fresh count.
    expect(await attempt(v.path, 'wrong-again', restarted)).toMatchObject({ message: expect.stringMatching(/4 more attempts/) });
  });

  it('a wrong current password in passwd counts too', async () => {
    const dir = await tempDir();
    const clock = new FakeClock();
    const v = await createTestVault(dir, { deps: { clock } });
    await expect(v.session.changePassword('nope', 'new-password')).rejects.toMatchObject({ code: 'AUTH_FAILED', extra: { field: 'currentPassword' } });
    expect(await new Lockout(v.deps.fs, clock, vaultPaths(v.path).lockout).failures()).toBe(1);
    v.session.lock();
  });
});

describe('parallel attempts', () => {
  // Each attempt (lockout check, KDF, count) runs under a per-vault lock file, so parallel guesses
  // are counted one by one instead of all slipping past an unwritten counter.
  it('counts wrong passwords tried in parallel one by one, and delays the ones past the fifth', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => cli.run(['list'], { password: `parallel-wrong-${i}` })));
    expect(results.map((r) => r.code)).toEqual(Array(8).fill(3));
    expect(results.filter((r) => /Wrong master password/.test(r.stderr))).toHaveLength(5);
    expect(results.filter((r) => /Try again in \d+ s/.test(r.stderr))).toHaveLength(3);
  });
});

describe('through the CLI: the lockout survives new processes', () => {
  it('5 wrong passwords (exit 3 each), then the right one is delayed, then allowed once the wait is over', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    for (let i = 1; i <= 5; i++) {
      const r = await cli.run(['list'], { password: `wrong-${i}` });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^keyward: Wrong master password\./);
    }
    const locked = await cli.run(['list']);
    expect(locked.code).toBe(3);
    const wait = Number(/Too many wrong passwords \(5 in a row\)\. Try again in (\d+) s\./.exec(locked.stderr)?.[1]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(5);

    // Let the wait pass without sleeping: date the last failure back by the delay.
    const lockoutFile = vaultPaths(cli.path).lockout;
    const state = JSON.parse(await readFile(lockoutFile, 'utf8')) as { failures: number; lastFailureAt: number };
    expect(state.failures).toBe(5);
    await writeFile(lockoutFile, JSON.stringify({ ...state, lastFailureAt: state.lastFailureAt - 5_000 }));
    const sixth = await cli.run(['list'], { password: 'wrong-6' });
    expect(sixth.code).toBe(3);
    const after6 = await cli.run(['list']);
    expect(after6.code).toBe(3);
    const wait6 = Number(/\(6 in a row\)\. Try again in (\d+) s/.exec(after6.stderr)?.[1]);
    expect(wait6).toBeGreaterThan(0);
    expect(wait6).toBeLessThanOrEqual(10);
    expect(JSON.parse(await readFile(lockoutFile, 'utf8'))).toMatchObject({ failures: 6 });

    const state6 = JSON.parse(await readFile(lockoutFile, 'utf8')) as { failures: number; lastFailureAt: number };
    await writeFile(lockoutFile, JSON.stringify({ ...state6, lastFailureAt: state6.lastFailureAt - 10_000 }));
    const ok = await cli.run(['list']);
    expect(ok.code, ok.stderr).toBe(0);
    await expect(readFile(lockoutFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
