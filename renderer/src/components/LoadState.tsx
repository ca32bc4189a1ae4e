/**
 * What a screen shows while main is answering, and when it could not: one
 * spinner and one alert (with main's own message, never a stack), so every
 * screen that reads something says it the same way.
 */
import type { ReactNode } from 'react';
import { Button } from './Button';
import { LoaderCircle, TriangleAlert } from './icons';

/** "<what> could not be read: <main's message>", with Try again when the screen can ask again. */
export function LoadError({ children, onRetry }: { children: ReactNode; onRetry?: () => void }) {
  return (
    <div role="alert" className="mt-4 flex items-start gap-2 rounded-lg border border-danger-text/30 bg-surface px-4 py-3 text-sm">
      <TriangleAlert size={16} className="mt-0.5 shrink-0 text-danger-text" aria-hidden="true" />
      <p className="min-w-0 flex-1 [overflow-wrap:anywhere]">{children}</p>
      {onRetry ? (
        <Button size="sm" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </div>
  );
}

/** A spinner in the screen's body, named for what is being read. */
export function Loading({ label }: { label: string }) {
  return (
    <div className="flex h-40 items-center justify-center" aria-busy="true">
      <LoaderCircle size={22} className="animate-spin text-faint" aria-label={label} />
    </div>
  );
}
