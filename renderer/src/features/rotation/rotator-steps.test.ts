import { describe, expect, it } from 'vitest';
import { STEP_WORDS, STEPS, stepsAfterFailure, stepsAfterSuccess, stepsWhileRunning } from './rotator-steps';

describe('rotator steps', () => {
  it('shows the four steps of a run in order', () => {
    expect(STEPS.map((s) => s.step)).toEqual(['create', 'set', 'test', 'finish']);
  });

  it('shows the first step running while main runs the rotator', () => {
    expect(stepsWhileRunning()).toEqual({ create: 'running', set: 'idle', test: 'idle', finish: 'idle', revoke: 'idle' });
  });

  it('shows every step done after a successful run, revoke left apart', () => {
    expect(stepsAfterSuccess()).toEqual({ create: 'done', set: 'done', test: 'done', finish: 'done', revoke: 'idle' });
  });

  it.each([
    ['create', { create: 'failed', set: 'skipped', test: 'skipped', finish: 'skipped' }],
    ['set', { create: 'done', set: 'failed', test: 'skipped', finish: 'skipped' }],
    ['test', { create: 'done', set: 'done', test: 'failed', finish: 'skipped' }],
    ['finish', { create: 'done', set: 'done', test: 'done', finish: 'failed' }],
  ] as const)('a failure at %s: the steps before it done, those after it not run', (failed, expected) => {
    expect(stepsAfterFailure(failed)).toEqual({ ...expected, revoke: 'idle' });
  });

  it('has words for every state', () => {
    expect(STEP_WORDS).toEqual({ idle: 'waiting', running: 'running', done: 'done', failed: 'failed', skipped: 'not run' });
  });
});
