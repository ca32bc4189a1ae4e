/**
 * The budgets from issue 11 ("Vault format v2 and speed at scale"; issue 2's
 * where 11 names none), shown beside the figures for comparison. They are
 * never asserted: a benchmark prints numbers.
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
      size === 10_000 ? { ms: 30, against: 'median' } : size === 100_000 ? { ms: 300, against: 'median' } : undefined,
    'add-save': (size) =>
      size === 10_000 ? { ms: 10, against: 'median' } : size === 100_000 ? { ms: 15, against: 'median' } : undefined,
    'get-lookup': (size) => (size === 100_000 ? { ms: 0.1, against: 'median' } : { ms: 1, against: 'median' }),
    search: (size) => (size === 100_000 ? { ms: 50, against: 'median' } : undefined),
    'loop-block': (size) => (size === 100_000 ? { ms: 50, against: 'median' } : undefined),
    'loop-block-open': (size) => (size === 100_000 ? { ms: 50, against: 'median' } : undefined),
    'loop-block-rewrite': (size) => (size === 100_000 ? { ms: 50, against: 'median' } : undefined),
    'loop-block-reminders': (size) => (size === 100_000 ? { ms: 50, against: 'median' } : undefined),
  },
  cli: {
    get: (size) => (size === 10_000 ? { ms: 150, against: 'median excl. KDF' } : undefined),
    list: (size) => (size === 10_000 ? { ms: 80, against: 'median excl. KDF' } : undefined),
  },
};

export function budgetFor(mode: Mode, op: OperationId, size: number | null): Budget | undefined {
  return BUDGETS[mode]?.[op]?.(size);
}

/** Bytes on disk per credential (one version, typical fields): issue 11 asks for at most this. */
export const FILE_BYTES_PER_CREDENTIAL_BUDGET = 300;

/** Peak memory of `keyward list` (table output) at 50k credentials, MB: issue 11 asks for at most this. */
export const CLI_LIST_PEAK_MB_BUDGET = 100;
