/**
 * The budgets from issue 2 ("Benchmarks"), shown beside the figures for
 * comparison. They are never asserted: a benchmark prints numbers.
 */
import type { Mode, OperationId } from './report.js';

export interface Budget {
  ms: number;
  /** Which figure the budget is compared with. */
  against: 'median' | 'median excl. KDF';
}

type BudgetTable = Partial<Record<Mode, Partial<Record<OperationId, (size: number | null) => Budget | undefined>>>>;

const BUDGETS: BudgetTable = {
  'in-process': {
    'open-no-kdf': (size) =>
      size === 10_000 ? { ms: 50, against: 'median' } : size === 100_000 ? { ms: 600, against: 'median' } : undefined,
    'add-save': (size) =>
      size === 10_000 ? { ms: 60, against: 'median' } : size === 100_000 ? { ms: 500, against: 'median' } : undefined,
    get: () => ({ ms: 1, against: 'median' }),
  },
  cli: {
    get: (size) => (size === 10_000 ? { ms: 150, against: 'median excl. KDF' } : undefined),
  },
};

export function budgetFor(mode: Mode, op: OperationId, size: number | null): Budget | undefined {
  return BUDGETS[mode]?.[op]?.(size);
}
