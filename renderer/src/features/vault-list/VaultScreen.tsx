/**
 * The unlocked vault: header (search, New, Settings, Lock), filters, the
 * virtualized list, the detail panel, and the dialogs. Owns the global
 * keyboard shortcuts.
 */
import { memo, useCallback, useEffect, useMemo, useRef, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { isDialogOpen } from '../../components/Dialog';
import { LoaderCircle } from '../../components/icons';
import { applyFilters, buildIndex, facets, isFiltering } from '../../lib/filter';
import { useStore } from '../../store';
import { CredentialFormDialog } from '../credential-form/CredentialFormDialog';
import { DeleteDialog } from '../detail/DeleteDialog';
import { MarkCompromisedDialog } from '../detail/MarkCompromisedDialog';
import { DetailPanel as DetailPanelView, type DetailPanelHandle } from '../detail/DetailPanel';
import { RotateDialog } from '../rotation/RotateDialog';
import { SettingsDialog } from '../settings/SettingsDialog';
import { ShortcutsDialog } from '../shortcuts/ShortcutsDialog';
import { HealthScreen } from '../health/HealthScreen';
import { GeneratorScreen } from '../generator/GeneratorScreen';
import { AuditScreen } from '../audit/AuditScreen';
import { DashboardScreen } from '../dashboard/DashboardScreen';
import { IncidentsScreen } from '../incidents/IncidentsScreen';
import { PoliciesScreen } from '../policies/PoliciesScreen';
import { GrantsScreen } from '../grants/GrantsScreen';
import { IntegrationsScreen } from '../integrations/IntegrationsScreen';
import { RotationScreen } from '../rotation/RotationScreen';
import { NavRail } from '../shell/NavRail';
import { OlderCopyBanner } from '../shell/OlderCopyBanner';
import { badgesFor, type Badge as HealthBadge } from '../../../../shared/health/findings';
import { copySelectedSecret } from '../detail/copy-selected';
import { CredentialList, type CredentialListHandle } from './CredentialList';
import { NoCredentials, NoResults } from './EmptyStates';
import { FilterBar } from './FilterBar';
import { Header } from './Header';
import { StatusBar } from './StatusBar';
import { DeactivateDialog } from '../detail/DeactivateDialog';

/** The detail pane takes no part in a search keystroke: memoised, it is not rendered again for one. */
const DetailPanel = memo(DetailPanelView);

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
  return false;
}

export function VaultScreen() {
  const credentials = useStore((s) => s.credentials);
  const listLoaded = useStore((s) => s.listLoaded);
  const filters = useStore((s) => s.filters);
  const selectedId = useStore((s) => s.selectedId);
  const select = useStore((s) => s.select);
  const dialog = useStore((s) => s.dialog);
  const openDialog = useStore((s) => s.openDialog);
  const closeDialog = useStore((s) => s.closeDialog);
  const clearFilters = useStore((s) => s.clearFilters);
  const setFilter = useStore((s) => s.setFilter);
  const lock = useStore((s) => s.lock);
  const screen = useStore((s) => s.screen);
  const health = useStore((s) => s.health);
  const refreshAfterChange = useStore((s) => s.refreshAfterChange);

  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<CredentialListHandle>(null);
  const detailRef = useRef<DetailPanelHandle>(null);

  // One render per keystroke, not an urgent one and then a deferred one: filtering 10k summaries
  // costs about a millisecond and the list is virtualized and keyed by slot, so the second render
  // of the whole screen cost more than it saved (see bench/ui-bench.ts, strict keystroke → paint).
  const deferredFilters = filters;
  const index = useMemo(() => buildIndex(credentials), [credentials]);
  const items = useMemo(() => applyFilters(index, deferredFilters), [index, deferredFilters]);
  const { providers, tags } = useMemo(() => facets(credentials), [credentials]);
  const filtering = isFiltering(filters);

  // Health and the schedule follow the list: after unlock, 'vault-changed' and every write.
  useEffect(() => {
    if (listLoaded) refreshAfterChange();
  }, [credentials, listLoaded, refreshAfterChange]);

  const badges = useMemo(() => {
    const map = new Map<string, HealthBadge[]>();
    for (const r of health?.reports ?? []) {
      const b = badgesFor(r.findings);
      if (b.length) map.set(r.id, b);
    }
    return map;
  }, [health]);

  // The detail pane shows only what the list shows: a search or filter that hides the
  // selection closes it (else Copy, Ctrl+Shift+C and Delete would act on an unseen entry).
  useEffect(() => {
    if (listLoaded && selectedId !== null && !items.some((c) => c.id === selectedId)) select(null);
  }, [items, listLoaded, selectedId, select]);

  const onSelect = useCallback((id: string) => select(id), [select]);
  const onOpen = useCallback(() => detailRef.current?.focus(), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && !e.shiftKey && !e.altKey && key === 'l') {
        e.preventDefault();
        void lock();
        return;
      }
      if (isDialogOpen() || e.defaultPrevented) return;
      const typing = isTyping(e.target);
      if ((mod && !e.shiftKey && !e.altKey && key === 'f') || (!typing && !mod && !e.altKey && e.key === '/')) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      if (mod && e.shiftKey && !e.altKey && key === 'c') {
        e.preventDefault();
        void copySelectedSecret();
        return;
      }
      if (typing || mod || e.altKey) return;
      if (e.key === 'Escape') {
        const store = useStore.getState();
        if (store.filters.query) store.setFilter('query', '');
      } else if (e.key === 'n') {
        e.preventDefault();
        openDialog({ kind: 'new' });
      } else if (e.key === '?') {
        e.preventDefault();
        openDialog({ kind: 'shortcuts' });
      } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && (e.target === document.body || e.target === null)) {
        e.preventDefault();
        listRef.current?.move(e.key === 'ArrowDown' ? 1 : -1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [lock, openDialog]);

  const onSearchKeyDown = (e: ReactKeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      if (filters.query) setFilter('query', '');
      else e.currentTarget.blur();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      listRef.current?.move(selectedId && items.some((c) => c.id === selectedId) ? 1 : -Infinity);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (items.length > 0) {
        const stillShown = selectedId && items.some((c) => c.id === selectedId);
        if (!stillShown) select(items[0]!.id);
        listRef.current?.focus();
      }
    }
  };

  let list;
  if (!listLoaded)
    list = (
      <div className="flex h-full items-center justify-center" aria-busy="true">
        <LoaderCircle size={22} className="animate-spin text-faint" aria-label="Loading credentials" />
      </div>
    );
  else if (items.length === 0) list = <NoResults onClear={clearFilters} />;
  else list = <CredentialList ref={listRef} items={items} selectedId={selectedId} onSelect={onSelect} onOpen={onOpen} badges={badges} />;

  return (
    // In print, only the screen's own content flows onto the pages: the chrome is hidden and nothing scrolls.
    <div className="flex h-full flex-col print:block print:h-auto">
      <Header ref={searchRef} onSearchKeyDown={onSearchKeyDown} />
      <OlderCopyBanner />
      <div className="flex min-h-0 flex-1 print:block">
        <NavRail />
        {screen === 'vault' ? (
          <>
            {/* Every screen has one level-one heading (Health, Rotation and Generator show theirs). */}
            <h1 className="sr-only">Credentials</h1>
            {listLoaded && credentials.length === 0 ? (
            <main className="min-h-0 flex-1 bg-canvas">
              <NoCredentials onNew={(type) => openDialog(type ? { kind: 'new', type } : { kind: 'new' })} />
            </main>
          ) : (
            <main className="flex min-h-0 flex-1">
              <section aria-label="Credential list" className="flex w-[400px] min-w-[300px] shrink-0 flex-col border-r border-line bg-surface lg:w-[440px]">
                <FilterBar providers={providers} tags={tags} shown={items.length} total={credentials.length} filtering={filtering} />
                <div className="min-h-0 flex-1">{list}</div>
              </section>
              <DetailPanel ref={detailRef} hasCredentials={credentials.length > 0} />
            </main>
          )}
          </>
        ) : (
          <main className="min-w-0 flex-1 overflow-y-auto bg-canvas print:overflow-visible print:bg-transparent">
            {screen === 'dashboard' ? (
              <DashboardScreen />
            ) : screen === 'health' ? (
              <HealthScreen />
            ) : screen === 'rotation' ? (
              <RotationScreen />
            ) : screen === 'audit' ? (
              <AuditScreen />
            ) : screen === 'incidents' ? (
              <IncidentsScreen />
            ) : screen === 'policies' ? (
              <PoliciesScreen />
            ) : screen === 'grants' ? (
              <GrantsScreen />
            ) : screen === 'integrations' ? (
              <IntegrationsScreen />
            ) : (
              <GeneratorScreen />
            )}
          </main>
        )}
      </div>
      <StatusBar onShowShortcuts={() => openDialog({ kind: 'shortcuts' })} />

      {dialog?.kind === 'new' ? <CredentialFormDialog mode="new" initialType={dialog.type} onClose={closeDialog} /> : null}
      {dialog?.kind === 'edit' ? <CredentialFormDialog mode="edit" id={dialog.id} onClose={closeDialog} /> : null}
      {dialog?.kind === 'rotate' ? <RotateDialog id={dialog.id} onClose={closeDialog} /> : null}
      {dialog?.kind === 'delete' ? <DeleteDialog id={dialog.id} onClose={closeDialog} /> : null}
      {dialog?.kind === 'compromised' ? <MarkCompromisedDialog id={dialog.id} onClose={closeDialog} /> : null}
      {dialog?.kind === 'deactivate' ? <DeactivateDialog id={dialog.id} reason={dialog.reason} onClose={closeDialog} /> : null}
      {dialog?.kind === 'settings' ? <SettingsDialog onClose={closeDialog} /> : null}
      {dialog?.kind === 'shortcuts' ? <ShortcutsDialog onClose={closeDialog} /> : null}
    </div>
  );
}
