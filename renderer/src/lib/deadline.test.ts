import { describe, expect, it } from 'vitest';
import { deadlineFrom, secondsLeft } from './deadline';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');

describe('deadlineFrom', () => {
  it('takes main’s clearsAt when it agrees with the promised delay', () => {
    const clearsAt = new Date(NOW + 30_000 + 1500).toISOString();
    expect(deadlineFrom(clearsAt, 30, NOW)).toBe(NOW + 31_500);
  });

  it('counts the delay from now when main’s clock is off by two seconds or more', () => {
    expect(deadlineFrom(new Date(NOW + 32_000).toISOString(), 30, NOW)).toBe(NOW + 30_000);
    expect(deadlineFrom(new Date(NOW - 3_600_000).toISOString(), 30, NOW)).toBe(NOW + 30_000);
  });

  it('counts the delay from now when clearsAt is not a date', () => {
    expect(deadlineFrom('not a date', 12, NOW)).toBe(NOW + 12_000);
  });
});

describe('secondsLeft', () => {
  it('rounds up, so the last second shows until the deadline', () => {
    expect(secondsLeft(NOW + 30_000, NOW)).toBe(30);
    expect(secondsLeft(NOW + 29_001, NOW)).toBe(30);
    expect(secondsLeft(NOW + 1, NOW)).toBe(1);
  });

  it('is 0 at and after the deadline, and without one', () => {
    expect(secondsLeft(NOW, NOW)).toBe(0);
    expect(secondsLeft(NOW - 5000, NOW)).toBe(0);
    expect(secondsLeft(null, NOW)).toBe(0);
  });
});
