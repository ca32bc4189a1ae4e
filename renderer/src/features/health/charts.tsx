/**
 * Small charts drawn with plain elements: a score ring (SVG) and horizontal
 * bar charts (CSS). Every bar carries its label and its number as text, so
 * the chart reads the same to a screen reader as it looks.
 */
import { useId } from 'react';

export function ScoreRing({ score, size = 132 }: { score: number; size?: number }) {
  const r = 52;
  const c = 2 * Math.PI * r;
  const clamped = Math.max(0, Math.min(100, score));
  const colour = clamped >= 75 ? 'var(--kw-ok-text)' : clamped >= 50 ? 'var(--kw-warn-text)' : 'var(--kw-danger-text)';
  return (
    <div className="relative shrink-0" style={{ width: size, height: size }}>
      <svg viewBox="0 0 120 120" width={size} height={size} aria-hidden="true" className="-rotate-90">
        <circle cx="60" cy="60" r={r} fill="none" stroke="var(--kw-line)" strokeWidth="10" />
        <circle cx="60" cy="60" r={r} fill="none" stroke={colour} strokeWidth="10" strokeLinecap="round" strokeDasharray={`${(clamped / 100) * c} ${c}`} />
      </svg>
      <div className="absolute inset-0 flex flex-col items-center justify-center">
        <span data-testid="health-score" className="text-4xl font-semibold tabular-nums">
          {Math.round(clamped)}
        </span>
        <span className="text-xs text-muted">of 100</span>
      </div>
    </div>
  );
}

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** A Tailwind background class for the bar. */
  colour: string;
}

export function BarChart({ title, bars, empty, note }: { title: string; bars: Bar[]; empty?: string; note?: string }) {
  const id = useId();
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <figure aria-labelledby={id} className="min-w-0 rounded-xl border border-line bg-surface p-4 shadow-xs">
      <figcaption id={id} className="text-[13px] font-semibold text-muted">
        {title}
      </figcaption>
      {note ? <p className="mt-0.5 text-xs text-faint">{note}</p> : null}
      {bars.length === 0 ? (
        <p className="mt-3 text-sm text-muted">{empty ?? 'Nothing to show.'}</p>
      ) : (
        <ul aria-label={title} className="mt-3 space-y-2">
          {bars.map((b) => (
            <li key={b.key} aria-label={`${b.label}: ${b.value}`} className="grid grid-cols-[8.5rem_1fr_2.5rem] items-center gap-3 text-[13px]">
              <span className="truncate text-fg" aria-hidden="true" title={b.label}>
                {b.label}
              </span>
              <span className="h-3 overflow-hidden rounded-full bg-subtle" aria-hidden="true">
                <span className={`block h-full rounded-full ${b.colour}`} style={{ width: `${b.value === 0 ? 0 : Math.max(3, (b.value / max) * 100)}%` }} />
              </span>
              <span className="text-right font-medium tabular-nums" aria-hidden="true">
                {b.value}
              </span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
