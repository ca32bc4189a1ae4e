/**
 * Paging back through the trail: the screen holds the newest records that
 * match, newest first, and asks main for the next older page (`before` the
 * oldest it holds) only as the person scrolls near the end. Each page is a
 * recorded read of the trail, so nothing here runs on a timer.
 */
import type { AuditQuery, AuditRecordView } from '../../../../shared/ipc/contract';

/**
 * Records per call: the most main answers at once (MAX_AUDIT_RECORDS; not imported, as the schemas
 * bring zod into the page — audit-pages.test.ts checks the two agree).
 */
export const PAGE_SIZE = 5000;
/** The next page is asked for when the last row drawn is this close to the end of what is held. */
export const PREFETCH_ROWS = 400;

export interface Pages {
  /** Newest first. */
  records: AuditRecordView[];
  /** Whether older records may match (the last page came back full). */
  more: boolean;
}

export const NO_PAGES: Pages = { records: [], more: true };

/** The query for the next page: the filters, the page size, and older than what is held. */
export function nextPageQuery(query: AuditQuery, pages: Pages): AuditQuery {
  const oldest = pages.records.at(-1);
  return { ...query, limit: PAGE_SIZE, ...(oldest ? { before: oldest.seq } : {}) };
}

/** `pages` with one more page as main answers it (oldest first), appended at the old end. */
export function withPage(pages: Pages, page: readonly AuditRecordView[]): Pages {
  const oldest = pages.records.at(-1)?.seq ?? Infinity;
  const older: AuditRecordView[] = [];
  // Newest first; anything not older than what is held (never expected) is left out rather than shown twice.
  for (let i = page.length - 1; i >= 0; i--) if (page[i]!.seq < oldest) older.push(page[i]!);
  return { records: older.length ? pages.records.concat(older) : pages.records, more: page.length >= PAGE_SIZE };
}

/** Whether to ask for the next page, with the row at `lastShown` drawn. */
export function wantsMore(pages: Pages, lastShown: number, loading: boolean): boolean {
  return pages.more && !loading && lastShown >= pages.records.length - PREFETCH_ROWS;
}
