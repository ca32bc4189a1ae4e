/**
 * A column chart in plain SVG: one bar per item on a value axis that ends on
 * a round number. The picture is one image named by the chart's title and
 * described by a sentence under it; the figures themselves are a table a
 * person can open (the chart's text alternative), and each bar's own figure
 * shows on hover.
 */
import { useId } from 'react';
import { axisScale, bands, barLength, labelEvery, labelledIndices } from './chart-scale';
import { useElementWidth } from './useElementWidth';

export interface Column {
  key: string;
  /** The item in full (the table, the hover text): "Mon, Dec 7", "Strong (3)". */
  label: string;
  /** Under the bar, when shorter than the label ("7"). */
  axisLabel?: string;
  value: number;
  /** SVG fill class for this bar (default: the accent colour). */
  fill?: string;
}

interface Props {
  title: string;
  columns: readonly Column[];
  /** One sentence saying what the chart shows (its description, shown under the title). */
  summary: string;
  /** "3 reads": a value in words, for hover text. */
  valueText: (value: number) => string;
  /** The table's column headings: what an item is, what its value counts. */
  labelHeading: string;
  valueHeading: string;
  height?: number;
  /** Room an axis label needs, in px (labels are thinned to fit). */
  axisLabelWidth?: number;
  className?: string;
}

const MARGIN = { top: 10, right: 8, bottom: 22, left: 40 };

export function ColumnChart({ title, columns, summary, valueText, labelHeading, valueHeading, height = 170, axisLabelWidth = 34, className = '' }: Props) {
  const id = useId();
  const [box, width] = useElementWidth<HTMLDivElement>(560);
  const plotWidth = Math.max(0, width - MARGIN.left - MARGIN.right);
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const scale = axisScale(Math.max(0, ...columns.map((c) => c.value)));
  const slots = bands(columns.length, plotWidth, columns.length > 12 ? 0.2 : 0.35);
  const named = labelledIndices(columns.length, labelEvery(columns.length, plotWidth, axisLabelWidth));
  const y = (v: number) => MARGIN.top + plotHeight - barLength(v, scale.top, plotHeight, 0);

  return (
    <figure aria-labelledby={`${id}-title`} className={`min-w-0 rounded-xl border border-line bg-surface p-4 shadow-xs ${className}`}>
      <figcaption id={`${id}-title`} className="text-[13px] font-semibold">
        {title}
      </figcaption>
      <p id={`${id}-summary`} className="mt-0.5 text-xs text-muted">
        {summary}
      </p>
      <div ref={box} className="mt-3">
        <svg role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-summary`} width={width} height={height} className="block max-w-full overflow-visible">
          {scale.ticks.map((t) => (
            <g key={t}>
              <line x1={MARGIN.left} x2={MARGIN.left + plotWidth} y1={y(t)} y2={y(t)} className={t === 0 ? 'stroke-line-strong' : 'stroke-line'} strokeWidth={1} shapeRendering="crispEdges" />
              <text x={MARGIN.left - 6} y={y(t)} dy="0.32em" textAnchor="end" className="fill-muted text-[11px] tabular-nums">
                {t.toLocaleString()}
              </text>
            </g>
          ))}
          {columns.map((c, i) => {
            const slot = slots[i]!;
            const length = barLength(c.value, scale.top, plotHeight);
            return (
              <g key={c.key}>
                {/* The whole slot answers the hover, so a zero-height day still tells its figure. */}
                <rect x={slot.x + MARGIN.left} y={MARGIN.top} width={slot.width} height={plotHeight} className="fill-transparent">
                  <title>{`${c.label}: ${valueText(c.value)}`}</title>
                </rect>
                {length > 0 ? (
                  <rect x={slot.x + MARGIN.left} y={MARGIN.top + plotHeight - length} width={slot.width} height={length} rx={Math.min(3, slot.width / 4)} className={c.fill ?? 'fill-accent'}>
                    <title>{`${c.label}: ${valueText(c.value)}`}</title>
                  </rect>
                ) : null}
                {named.has(i) ? (
                  <text x={slot.x + MARGIN.left + slot.width / 2} y={height - 6} textAnchor="middle" className="fill-muted text-[11px]">
                    {c.axisLabel ?? c.label}
                  </text>
                ) : null}
              </g>
            );
          })}
        </svg>
      </div>
      <details className="mt-2 text-xs text-muted print:hidden">
        <summary className="w-fit cursor-pointer rounded select-none hover:text-fg">Show the figures as a table</summary>
        <table className="mt-2 w-full max-w-md text-left text-[13px] text-fg">
          <caption className="sr-only">{title}</caption>
          <thead className="text-xs text-muted">
            <tr>
              <th scope="col" className="py-1 pr-4 font-medium">
                {labelHeading}
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                {valueHeading}
              </th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => (
              <tr key={c.key} className="border-t border-line/60">
                <th scope="row" className="py-1 pr-4 font-normal">
                  {c.label}
                </th>
                <td className="py-1 text-right tabular-nums">{c.value.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
