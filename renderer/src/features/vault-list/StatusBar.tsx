/** The footer: the clipboard countdown (when a secret is on the clipboard) and the main shortcuts. */
import { ClipboardCheck, Keyboard } from '../../components/icons';
import { useSecondsLeft } from '../../lib/countdown';
import { useStore } from '../../store';

export const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';

function ClipboardStatus() {
  const clipboard = useStore((s) => s.clipboard);
  const left = useSecondsLeft(clipboard?.deadline ?? null);
  if (!clipboard) return <div role="status" className="min-w-0" />;
  return (
    <div role="status" className="flex min-w-0 items-center gap-2 rounded-full bg-accent-soft px-3 py-1 text-xs text-accent-text">
      <ClipboardCheck size={14} className="shrink-0" aria-hidden="true" />
      <span className="truncate" title={clipboard.label}>
        Copied {clipboard.label}
      </span>
      <span className="shrink-0 font-medium tabular-nums" data-testid="clipboard-countdown">
        {left > 0 ? `· clears in ${left} s` : '· clearing…'}
      </span>
    </div>
  );
}

export function StatusBar({ onShowShortcuts }: { onShowShortcuts: () => void }) {
  return (
    <footer className="flex h-9 shrink-0 items-center gap-4 border-t border-line bg-surface px-4 text-xs text-muted print:hidden">
      <ClipboardStatus />
      <div className="ml-auto hidden items-center gap-3 md:flex" aria-hidden="true">
        <span>
          <kbd className="kbd">/</kbd> Search
        </span>
        <span>
          <kbd className="kbd">↑</kbd>
          <kbd className="kbd ml-0.5">↓</kbd> Navigate
        </span>
        <span>
          <kbd className="kbd">{MOD}</kbd>
          <kbd className="kbd ml-0.5">⇧</kbd>
          <kbd className="kbd ml-0.5">C</kbd> Copy secret
        </span>
        <span>
          <kbd className="kbd">{MOD}</kbd>
          <kbd className="kbd ml-0.5">L</kbd> Lock
        </span>
      </div>
      <button type="button" onClick={onShowShortcuts} className="inline-flex items-center gap-1.5 rounded-md px-1.5 py-1 hover:bg-hover hover:text-fg">
        <Keyboard size={14} aria-hidden="true" />
        Keyboard shortcuts
        <kbd className="kbd" aria-hidden="true">
          ?
        </kbd>
      </button>
    </footer>
  );
}
