/**
 * What the rotator's step strip shows: the four steps a run goes through, and
 * the state of each before, during and after a run. Revoke is not in the strip
 * (it runs after the new value is current; its failure is reported apart) and
 * stays 'idle'.
 */
import type { RotationStep } from '../../../../shared/rotation';

export type StepState = 'idle' | 'running' | 'done' | 'failed' | 'skipped';
export type StepStates = Record<RotationStep, StepState>;

export const STEPS: { step: RotationStep; label: string; what: string }[] = [
  { step: 'create', label: 'Create', what: 'the create command prints a new value' },
  { step: 'set', label: 'Set', what: 'stored as a pending version' },
  { step: 'test', label: 'Test', what: 'the test command accepts the new value' },
  { step: 'finish', label: 'Finish', what: 'pending becomes current' },
];

export const STEP_WORDS: Record<StepState, string> = { idle: 'waiting', running: 'running', done: 'done', failed: 'failed', skipped: 'not run' };

/** Main answers only when the run is over, so the strip shows the first step running meanwhile. */
export function stepsWhileRunning(): StepStates {
  return { create: 'running', set: 'idle', test: 'idle', finish: 'idle', revoke: 'idle' };
}

export function stepsAfterSuccess(): StepStates {
  return { create: 'done', set: 'done', test: 'done', finish: 'done', revoke: 'idle' };
}

/** Every step before the one that failed is done; those after it never ran. */
export function stepsAfterFailure(failed: RotationStep): StepStates {
  const at = STEPS.findIndex((s) => s.step === failed);
  const states = { revoke: 'idle' } as StepStates;
  STEPS.forEach(({ step }, i) => (states[step] = i < at ? 'done' : i === at ? 'failed' : 'skipped'));
  return states;
}
