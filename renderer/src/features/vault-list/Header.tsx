import { forwardRef, type KeyboardEvent } from 'react';
import { Button, IconButton } from '../../components/Button';
import { Bell, Lock, Plus, Search, Settings, X } from '../../components/icons';
import { Logo } from '../../components/Logo';
import { baseName } from '../../lib/format';
import { useStore } from '../../store';

interface HeaderProps {
  onSearchKeyDown: (e: KeyboardEvent<HTMLInputElement>) => void;
}

export const Header = forwardRef<HTMLInputElement, HeaderProps>(function Header({ onSearchKeyDown }, searchRef) {
  const query = useStore((s) => s.filters.query);
  const setFilter = useStore((s) => s.setFilter);
  const openDialog = useStore((s) => s.openDialog);
  const lock = useStore((s) => s.lock);
  const vaultPath = useStore((s) => s.appState?.vaultPath ?? '');
  const reminders = useStore((s) => s.reminders);
  const setScreen = useStore((s) => s.setScreen);

  return (
    <header className="flex h-14 shrink-0 items-center gap-4 border-b border-line bg-surface px-4 print:hidden">
      <div className="flex w-[236px] shrink-0 items-center gap-2.5 min-w-0">
        <Logo />
        <div className="min-w-0 leading-tight">
          <div className="text-sm font-semibold">Keyward</div>
          <div className="truncate text-xs text-muted" title={vaultPath}>
            {baseName(vaultPath)}
          </div>
        </div>
      </div>

      <div role="search" className="relative max-w-xl min-w-0 flex-1">
        <Search size={16} className="pointer-events-none absolute top-1/2 left-3 -translate-y-1/2 text-faint" aria-hidden="true" />
        <input
          ref={searchRef}
          type="search"
          aria-label="Search credentials"
          placeholder="Search by name, provider, description or tag"
          value={query}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => {
            setFilter('query', e.target.value);
            if (useStore.getState().screen !== 'vault') setScreen('vault');
          }}
          onKeyDown={onSearchKeyDown}
          className="h-9 w-full rounded-lg border border-line bg-subtle pr-16 pl-9 text-sm placeholder:text-faint focus:border-accent focus:bg-surface focus:outline-2 focus:outline-offset-0 focus:outline-ring/40 [&::-webkit-search-cancel-button]:hidden"
        />
        <div className="absolute inset-y-0 right-2 flex items-center gap-1">
          {query ? (
            <button
              type="button"
              aria-label="Clear search"
              onClick={() => setFilter('query', '')}
              className="inline-flex h-6 w-6 items-center justify-center rounded-md text-muted hover:bg-hover hover:text-fg"
            >
              <X size={14} aria-hidden="true" />
            </button>
          ) : (
            <kbd className="kbd" aria-hidden="true">
              /
            </kbd>
          )}
        </div>
      </div>

      <div className="ml-auto flex items-center gap-1.5">
        {reminders > 0 ? (
          <button
            type="button"
            data-testid="header-reminders"
            aria-label={`${reminders} ${reminders === 1 ? 'credential' : 'credentials'} due for rotation`}
            title="Due for rotation"
            onClick={() => setScreen('rotation')}
            className="inline-flex h-9 items-center gap-1.5 rounded-lg bg-warn-soft px-2.5 text-[13px] font-semibold text-warn-text hover:brightness-95 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
          >
            <Bell size={16} aria-hidden="true" />
            {reminders}
          </button>
        ) : null}
        <Button variant="primary" icon={Plus} onClick={() => openDialog({ kind: 'new' })} aria-keyshortcuts="n">
          New credential
        </Button>
        <IconButton icon={Settings} label="Settings" onClick={() => openDialog({ kind: 'settings' })} />
        <IconButton icon={Lock} label="Lock" title="Lock (Ctrl+L)" onClick={() => void lock()} aria-keyshortcuts="Control+L Meta+L" />
      </div>
    </header>
  );
});
