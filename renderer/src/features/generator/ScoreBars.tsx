/** Four segments lit by a 0–4 score, as the onboarding meter draws them; a meter role with the score as its value. */
const BAR_COLOURS = ['bg-red-500', 'bg-orange-500', 'bg-amber-400', 'bg-lime-500', 'bg-emerald-500'] as const;

export function ScoreBars({ score, label, className = '' }: { score: number | null; label: string; className?: string }) {
  const s = score ?? -1;
  return (
    <div role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={4} aria-valuenow={score ?? undefined} className={`flex gap-1 ${className}`}>
      {[0, 1, 2, 3].map((i) => (
        <div
          key={i}
          aria-hidden="true"
          className={`h-1.5 flex-1 rounded-full transition-colors ${s >= 0 && (s > i || (s === 0 && i === 0)) ? BAR_COLOURS[s as 0 | 1 | 2 | 3 | 4] : 'bg-line'}`}
        />
      ))}
    </div>
  );
}
