/**
 * The audit records as a table that stays fast at any length: fixed-height
 * rows, only those in view (and a few either side) in the DOM
 * (@tanstack/react-virtual), each with its place in the whole (aria-rowindex)
 * so a screen reader says "row 4,812". The table is its own scrolling box and
 * takes focus, so the keyboard scrolls it (arrows, Page Up/Down, Home, End);
 * nearing the end asks for older records. It fills the pane's height, never
 * less than a few rows (in a small window the pane scrolls to it instead).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useRef } from 'react';
import type { AuditRecordView } from '../../../../shared/ipc/contract';
import { trailTime } from '../incidents/incident-words';
import { outcomeText, RECORD_COLUMNS } from './audit-words';

export const ROW_HEIGHT = 36;
const HEADER_HEIGHT = 34;
/** One grid for the header and every row, so the columns line up without a real <table>'s layout (which virtualizing breaks). */
const COLUMNS = 'grid grid-cols-[10.5rem_6.5rem_minmax(10rem,1.1fr)_minmax(9rem,1fr)_9.5rem]';
/** Below this the box scrolls sideways rather than squeezing the columns. */
const MIN_WIDTH = 'min-w-[45rem]';

interface Props {
  /** Newest first. */
  records: readonly AuditRecordView[];
  /** Older records may follow (the row count is then unknown). */
  more: boolean;
  /** The row at this index was drawn (the last one drawn, as the view moves). */
  onShown: (lastShown: number) => void;
  /** What the table's count line says (its description). */
  describedBy: string;
  /** Changes when the filters do: back to the top. */
  resetKey: string;
}

export function AuditTable({ records, more, onShown, describedBy, resetKey }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: records.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => records[i]?.seq ?? i,
    overscan: 12,
    // The rows start under the sticky header, inside the same scrolling box.
    scrollMargin: HEADER_HEIGHT,
    // React 19: updating from the scroll event as a normal render keeps flushSync out of effects.
    useFlushSync: false,
  });

  useLayoutEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [resetKey]);

  const items = virtualizer.getVirtualItems();
  const lastShown = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (lastShown >= 0) onShown(lastShown);
  }, [lastShown, records.length, onShown]);

  return (
    <div
      ref={scroller}
      role="table"
      aria-label="Audit records, newest first"
      // -1: the whole count is unknown until the oldest page has been read (ARIA's rule for a partial table).
      aria-rowcount={more ? -1 : records.length + 1}
      aria-describedby={describedBy}
      tabIndex={0}
      className="relative min-h-[250px] flex-1 overflow-auto overscroll-contain rounded-xl border border-line bg-surface text-sm outline-none focus-visible:shadow-[inset_0_0_0_2px_var(--kw-ring)]"
    >
      <div role="rowgroup" className={`sticky top-0 z-10 ${MIN_WIDTH} border-b border-line bg-surface`}>
        <div role="row" aria-rowindex={1} className={`${COLUMNS} items-center text-xs text-muted`} style={{ height: HEADER_HEIGHT - 1 }}>
          {RECORD_COLUMNS.map((column) => (
            <div key={column} role="columnheader" className="px-3 font-medium">
              {column}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" className={`relative ${MIN_WIDTH}`} style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => (
          <AuditRow key={item.key} record={records[item.index]!} index={item.index} top={item.start - HEADER_HEIGHT} />
        ))}
      </div>
    </div>
  );
}

const AuditRow = memo(function AuditRow({ record: r, index, top }: { record: AuditRecordView; index: number; top: number }) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={`${COLUMNS} absolute inset-x-0 top-0 items-center border-b border-line/60 hover:bg-hover`}
      style={{ height: ROW_HEIGHT, transform: `translateY(${top}px)` }}
    >
      <div role="cell" className="px-3 whitespace-nowrap tabular-nums">
        {trailTime(r.at)}
      </div>
      <div role="cell" className="truncate px-3" title={r.actor.length > 12 ? r.actor : undefined}>
        {r.actor}
      </div>
      <div role="cell" className="truncate px-3 font-mono text-xs" title={r.action.length > 28 ? r.action : undefined}>
        {r.action}
        {r.locked ? <span className="ml-2 font-sans text-muted">(while locked)</span> : null}
      </div>
      <div role="cell" className="truncate px-3" title={r.credential}>
        {r.credential ?? ''}
      </div>
      <div role="cell" className={`truncate px-3 ${r.outcome === 'failure' ? 'text-danger-text' : ''}`} title={r.code}>
        {outcomeText(r)}
      </div>
    </div>
  );
});
