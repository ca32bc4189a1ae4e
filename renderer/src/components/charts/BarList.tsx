/**
 * Horizontal bars as a list: each item's name and figure are text on one
 * line (what a screen reader reads, in order), the bar under them a small SVG
 * drawn to the largest item's scale and hidden from assistive technology.
 */
import { useId, type ReactNode } from 'react';
import { barLength } from './chart-scale';

export interface BarItem {
  key: string;
  label: string;
  value: number;
  /** What the figure says, when more than the number ("12 reads · 40 operations"). */
  valueText?: ReactNode;
  /** SVG fill class for this bar (default: the accent colour). */
  fill?: string;
}

interface Props {
  title: string;
  items: readonly BarItem[];
  /** Under the title: what is counted. */
  note?: string;
  empty?: string;
  className?: string;
}

/** The bar's drawing size (the SVG stretches to the item's width: plain rectangles, so nothing distorts). */
const BAR_WIDTH = 400;
const BAR_HEIGHT = 10;

export function BarList({ title, items, note, empty = 'Nothing to show.', className = '' }: Props) {
  const id = useId();
  const top = Math.max(1, ...items.map((i) => i.value));
  return (
    <figure aria-labelledby={id} className={`min-w-0 rounded-xl border border-line bg-surface p-4 shadow-xs ${className}`}>
      <figcaption id={id} className="text-[13px] font-semibold">
        {title}
      </figcaption>
      {note ? <p className="mt-0.5 text-xs text-muted">{note}</p> : null}
      {items.length === 0 ? (
        <p className="mt-3 text-sm text-muted">{empty}</p>
      ) : (
        <ul aria-label={title} className="mt-3 space-y-2.5">
          {items.map((item) => (
            <li key={item.key} className="text-[13px]">
              <div className="flex items-baseline justify-between gap-3">
                <span className="min-w-0 truncate" title={item.label}>
                  {item.label}
                </span>{' '}
                <span className="shrink-0 text-right text-xs text-muted tabular-nums">{item.valueText ?? item.value.toLocaleString()}</span>
              </div>
              <svg viewBox={`0 0 ${BAR_WIDTH} ${BAR_HEIGHT}`} preserveAspectRatio="none" aria-hidden="true" className="mt-1 block h-2 w-full">
                <rect x={0} y={0} width={BAR_WIDTH} height={BAR_HEIGHT} className="fill-subtle" />
                <rect x={0} y={0} width={barLength(item.value, top, BAR_WIDTH, 1)} height={BAR_HEIGHT} className={item.fill ?? 'fill-accent'} />
              </svg>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
