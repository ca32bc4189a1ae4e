/**
 * The credential list: a listbox with fixed-height rows, virtualized
 * (@tanstack/react-virtual). Only the rows in view (plus a few either side,
 * plus the selected one so aria-activedescendant always points at a real
 * element) are in the DOM, so 10,000 credentials cost the same as 20.
 * Keyboard: ArrowUp/Down, Home/End, PageUp/PageDown move the selection; Enter
 * opens the detail panel.
 */
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { forwardRef, Fragment, memo, useCallback, useImperativeHandle, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import type { Badge as HealthBadge } from '../../../../shared/health/findings';
import type { CredentialSummary } from '../../../../shared/domain';
import { Badge } from '../../components/Badge';
import { TypeIcon } from '../../components/icons';
import { expiryLabel, expiryState, typeLabel } from '../../lib/format';
import { BADGE_LABELS, BADGE_TONES } from '../health/labels';

export const ROW_HEIGHT = 60;
const OVERSCAN = 4;
/** More slots than rows ever in view at once, so two rows in the window never share a key. */
const SLOTS = 1000;

export interface CredentialListHandle {
  focus(): void;
  /** Moves the selection by `delta` rows (or to an end with ±Infinity) and focuses the list. */
  move(delta: number): void;
}

interface Props {
  items: readonly CredentialSummary[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onOpen: () => void;
  /** Findings badges by credential id (from the health analysis; absent until it arrives). */
  badges?: ReadonlyMap<string, HealthBadge[]>;
}

export const optionId = (id: string) => `credential-option-${id}`;

/**
 * Puts focus on the credential list once the current frame's updates (a dialog
 * closing and handing focus back) are done: where to continue after the
 * focused control went away, e.g. after a delete.
 */
export function focusCredentialList(): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('[role="listbox"][aria-label="Credentials"]')?.focus());
}

export const CredentialList = forwardRef<CredentialListHandle, Props>(function CredentialList({ items, selectedId, onSelect, onOpen, badges }, ref) {
  const scroller = useRef<HTMLDivElement>(null);

  const selectedIndex = selectedId === null ? -1 : items.findIndex((c) => c.id === selectedId);

  // The rows in view and the overscan, plus the selected row wherever it is (in order, so the DOM reads top to bottom).
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indices = defaultRangeExtractor(range);
      if (selectedIndex < 0 || selectedIndex >= range.count || indices.includes(selectedIndex)) return indices;
      return selectedIndex < (indices[0] ?? 0) ? [selectedIndex, ...indices] : [...indices, selectedIndex];
    },
    [selectedIndex],
  );
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    rangeExtractor,
    // React 19: updating from the scroll event as a normal render keeps flushSync out of effects.
    useFlushSync: false,
  });

  // Keep the selected row in view when the selection (or the filter around it) changes: the nearest edge, no animation.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || selectedIndex < 0) return;
    const top = selectedIndex * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  }, [selectedIndex]);

  // A new filter result starts at the top unless the selection is in it.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && selectedIndex < 0) el.scrollTop = 0;
    // Runs when the list itself changes; selection changes are handled above.
  }, [items]);

  const move = useCallback(
    (delta: number) => {
      if (items.length === 0) return;
      let next: number;
      if (delta === -Infinity) next = 0;
      else if (delta === Infinity) next = items.length - 1;
      else if (selectedIndex < 0) next = delta > 0 ? 0 : items.length - 1;
      else next = Math.min(items.length - 1, Math.max(0, selectedIndex + delta));
      onSelect(items[next]!.id);
    },
    [items, selectedIndex, onSelect],
  );

  useImperativeHandle(
    ref,
    () => ({
      focus: () => scroller.current?.focus(),
      move: (delta) => {
        scroller.current?.focus();
        move(delta);
      },
    }),
    [move],
  );

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 600) / ROW_HEIGHT) - 1);
    const keys: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    if (e.key in keys) {
      e.preventDefault();
      move(keys[e.key]!);
    } else if (e.key === 'Enter' || e.key === ' ') {
      if (selectedIndex >= 0) {
        e.preventDefault();
        onOpen();
      }
    }
  };

  const rows = virtualizer.getVirtualItems();
  // The window the range extractor drew (the visible rows and the overscan); the selected row may sit outside it.
  const range = virtualizer.range;
  const first = range ? Math.max(0, range.startIndex - OVERSCAN) : 0;
  const last = range ? Math.min(items.length - 1, range.endIndex + OVERSCAN) : -1;

  return (
    <div
      ref={scroller}
      role="listbox"
      aria-label="Credentials"
      tabIndex={0}
      aria-activedescendant={selectedIndex >= 0 ? optionId(items[selectedIndex]!.id) : undefined}
      onKeyDown={onKeyDown}
      className="relative h-full overflow-y-auto overscroll-contain outline-none focus-visible:shadow-[inset_0_0_0_2px_var(--kw-ring)]"
    >
      <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {/* Keyed by slot in the window, not by credential: a new search result or a scroll
            updates the text of the rows already there instead of replacing every row. */}
        {rows.map(({ index: i, start }) => (
          <Row
            key={i === selectedIndex && (i < first || i > last) ? 'selected' : i % SLOTS}
            credential={items[i]!}
            index={i}
            top={start}
            total={items.length}
            selected={i === selectedIndex}
            onSelect={onSelect}
            badges={badges?.get(items[i]!.id)}
          />
        ))}
      </div>
    </div>
  );
});

const Row = memo(function Row({
  credential: c,
  index,
  top,
  total,
  selected,
  onSelect,
  badges,
}: {
  credential: CredentialSummary;
  badges: HealthBadge[] | undefined;
  index: number;
  /** Where the virtualizer places the row, in px from the top of the list. */
  top: number;
  total: number;
  selected: boolean;
  onSelect: (id: string) => void;
}) {
  const expiry = expiryLabel(expiryState(c.expiresAt));
  const secondary = [c.provider, c.tags.join(', ')].filter(Boolean).join(' · ');
  return (
    <div
      id={optionId(c.id)}
      role="option"
      aria-selected={selected}
      // Named by everything the row shows, in reading order and name first (WCAG "label in name"):
      // a person who says or reads "Weak" or "API key" on the row finds it under that name.
      aria-labelledby={`${optionId(c.id)}-name ${optionId(c.id)}-desc ${optionId(c.id)}-badges`}
      aria-setsize={total}
      aria-posinset={index + 1}
      onMouseDown={(e) => e.preventDefault() /* keep focus on the listbox */}
      onClick={(e) => {
        onSelect(c.id);
        (e.currentTarget.closest('[role="listbox"]') as HTMLElement | null)?.focus();
      }}
      style={{ height: ROW_HEIGHT, transform: `translateY(${top}px)` }}
      className={`absolute inset-x-0 top-0 flex cursor-default items-center gap-3 border-b border-line/60 px-4 ${
        selected ? 'bg-selected' : 'hover:bg-hover'
      } ${c.active ? '' : 'opacity-65'}`}
    >
      {selected ? <span className="absolute inset-y-0 left-0 w-[3px] bg-accent" aria-hidden="true" /> : null}
      <div className={`flex h-8 w-8 shrink-0 items-center justify-center rounded-lg ${selected ? 'bg-accent text-accent-fg' : 'bg-subtle text-muted'}`}>
        <TypeIcon type={c.type} size={16} />
      </div>
      <div className="min-w-0 flex-1">
        <div className="flex items-center gap-2">
          <span id={`${optionId(c.id)}-name`} className="truncate font-medium" title={c.name}>
            {c.name}
          </span>
        </div>{' '}
        {/* The spaces between the row's parts are for its text (layout ignores them): without them the text a checker
            reads runs the parts together ("alphaAPI key"), which then no longer matches the row's name. */}
        <div id={`${optionId(c.id)}-desc`} className="mt-0.5 flex items-center gap-1.5 text-xs text-muted">
          {/* The spaces between the parts are for the row's name (the flex layout ignores them):
              without them the parts of the name would run together ("API keystripe"). */}
          <Badge tone={selected ? 'accent' : 'neutral'}>{typeLabel(c.type)}</Badge>{' '}
          {secondary ? (
            <>
              <span aria-hidden="true">·</span> <span className="truncate">{secondary}</span>
            </>
          ) : null}
        </div>
      </div>{' '}
      <div id={`${optionId(c.id)}-badges`} className="flex max-w-[168px] shrink-0 flex-wrap items-center justify-end gap-1">
        {rowBadges(c, expiry, badges).map((b) => (
          // Spaced for the row's name, as above.
          <Fragment key={b.label}>
            <Badge tone={b.tone}>{b.label}</Badge>{' '}
          </Fragment>
        ))}
      </div>
    </div>
  );
});

type BadgeTone = Parameters<typeof Badge>[0]['tone'];

/** The badges at the end of a row, in order: inactive, the expiry, then the findings (the expiry not twice). */
function rowBadges(c: CredentialSummary, expiry: string | null, badges: HealthBadge[] | undefined): { label: string; tone: BadgeTone }[] {
  const out: { label: string; tone: BadgeTone }[] = [];
  if (!c.active) out.push({ label: 'Inactive', tone: 'neutral' });
  if (expiry) out.push({ label: expiry, tone: expiry === 'Expired' ? 'danger' : 'warn' });
  for (const b of badges ?? []) if (!(expiry && (b === 'expired' || b === 'expiring'))) out.push({ label: BADGE_LABELS[b], tone: BADGE_TONES[b] });
  return out;
}
