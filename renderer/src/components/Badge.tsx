import type { ReactNode } from 'react';

type Tone = 'neutral' | 'accent' | 'danger' | 'warn' | 'ok';

const tones: Record<Tone, string> = {
  neutral: 'bg-subtle text-muted ring-line',
  accent: 'bg-accent-soft text-accent-text ring-accent/20',
  danger: 'bg-danger-soft text-danger-text ring-danger/20',
  warn: 'bg-warn-soft text-warn-text ring-warn-text/20',
  ok: 'bg-ok-soft text-ok-text ring-ok-text/20',
};

export function Badge({ tone = 'neutral', children, title, className = '' }: { tone?: Tone; children: ReactNode; title?: string; className?: string }) {
  return (
    <span title={title} className={`inline-flex h-5 shrink-0 items-center gap-1 rounded-md px-1.5 text-[11px] font-medium whitespace-nowrap ring-1 ring-inset ${tones[tone]} ${className}`}>
      {children}
    </span>
  );
}
