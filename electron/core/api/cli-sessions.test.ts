import { describe, expect, it } from 'vitest';
import { FakeClock } from '../ports/clock.js';
import { CliSessions } from './cli-sessions.js';
import { MAX_WAITING_APPROVALS, QUIET_AFTER_DECLINE_MS } from './approval-throttle.js';

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code: string }) => e.code);

describe('CLI sessions', () => {
  it('ask the user at most a few at a time: more are refused while those wait', async () => {
    const waiting: ((allow: boolean) => void)[] = [];
    const sessions = new CliSessions({ clock: new FakeClock(), minutes: () => 10, approve: () => new Promise((resolve) => waiting.push(resolve)) });
    const asks = Array.from({ length: MAX_WAITING_APPROVALS }, (_, i) => sessions.open(`terminal ${i}`));
    expect(await code(sessions.open('one too many'))).toBe('BUSY');
    expect(waiting).toHaveLength(MAX_WAITING_APPROVALS);
    waiting.forEach((answer) => answer(true));
    expect((await Promise.all(asks)).every((s) => s.token.startsWith('kws_'))).toBe(true);
    // Answered: room again.
    const next = sessions.open('later');
    await expect.poll(() => waiting.length).toBe(MAX_WAITING_APPROVALS + 1);
    waiting.at(-1)!(true);
    expect((await next).token).toMatch(/^kws_/);
  });

  it('after a decline, ask nothing for a while, whoever asks; then ask again', async () => {
    const clock = new FakeClock();
    let asked = 0;
    let allow = false;
    const sessions = new CliSessions({ clock, minutes: () => 10, approve: async () => (asked++, allow) });
    expect(await code(sessions.open('a'))).toBe('FORBIDDEN');
    allow = true;
    clock.advance(QUIET_AFTER_DECLINE_MS - 1);
    expect(await code(sessions.open('another terminal, or the same one claiming to be'))).toBe('FORBIDDEN');
    expect(asked).toBe(1);
    clock.advance(1);
    const { token } = await sessions.open('a');
    expect(asked).toBe(2);
    expect(() => sessions.check(token)).not.toThrow();
  });

  it('forget sessions that expired when a new one opens; a token works until its minutes are up, and not across a lock', async () => {
    const clock = new FakeClock();
    const sessions = new CliSessions({ clock, minutes: () => 10, approve: async () => true });
    const { token } = await sessions.open('a');
    clock.advance(10 * 60_000 - 1);
    expect(() => sessions.check(token)).not.toThrow();
    clock.advance(1);
    expect(() => sessions.check(token)).toThrow(expect.objectContaining({ code: 'AUTH_FAILED' }));
    const second = await sessions.open('b');
    sessions.clear();
    expect(() => sessions.check(second.token)).toThrow(expect.objectContaining({ code: 'AUTH_FAILED' }));
  });
});
