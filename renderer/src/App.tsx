/**
 * The app shell: asks main where we are (no vault / locked / unlocked), shows
 * the matching screen, and wires main's events into the store.
 */
import { useEffect } from 'react';
import { OnboardingScreen } from './features/onboarding/OnboardingScreen';
import { Splash, StartupError } from './features/shell/Splash';
import { useActivityPings } from './features/shell/useActivityPings';
import { Toasts } from './features/toasts/Toasts';
import { VaultProgressBar } from './features/toasts/VaultProgressBar';
import { UnlockScreen } from './features/unlock/UnlockScreen';
import { VaultScreen } from './features/vault-list/VaultScreen';
import { GrantApprovalDialog } from './features/grants/GrantApprovalDialog';
import { onEvent } from './lib/api';
import { useStore } from './store';

export function App() {
  const phase = useStore((s) => s.appState?.phase ?? null);
  const startupError = useStore((s) => s.startupError);
  const loadAppState = useStore((s) => s.loadAppState);

  useEffect(() => {
    void loadAppState();
    return onEvent((event) => {
      const store = useStore.getState();
      switch (event.type) {
        case 'locked':
          store.setVaultProgress(null);
          void store.handleLocked(event.reason);
          break;
        case 'unlocked':
          if (store.appState?.phase !== 'unlocked') void store.loadAppState();
          break;
        case 'vault-progress':
          store.setVaultProgress(event.failed ? null : { operation: event.operation, done: event.done, total: event.total });
          break;
        case 'vault-changed':
          store.setVaultProgress(null);
          // The app state too: it says when the file on disk became an older copy.
          void store.loadAppState();
          if (store.appState?.phase === 'unlocked') {
            void store.refreshAll();
            // Another process (the CLI) may have opened incidents: its watch does not tell this window.
            void store.loadIncidents();
          }
          break;
        case 'clipboard-cleared':
          if (store.clipboard) {
            store.clipboardCleared();
            store.toast('info', 'Clipboard cleared');
          }
          break;
        case 'clipboard-left-alone':
          if (store.clipboard) {
            store.clipboardCleared();
            store.toast('info', 'Your clipboard changed; Keyward left it alone.');
          }
          break;
        case 'reminder-due':
          store.toast('info', `${event.count} credential${event.count === 1 ? ' is' : 's are'} due for rotation.`);
          store.setReminders(event.count);
          if (store.appState?.phase === 'unlocked') void store.refreshRotation();
          break;
        case 'rotation-rescued': {
          const names = event.names.slice(0, 3).join(', ') + (event.names.length > 3 ? ` and ${event.names.length - 3} more` : '');
          store.toast('info', `Saved rotated value${event.names.length === 1 ? '' : 's'} kept while the vault was locked: ${names}.`);
          break;
        }
        case 'incidents-opened':
          store.incidentsOpened(event.incidents);
          break;
        case 'audit-unrecorded':
          store.toast('error', `An operation (${event.action}) was ${event.message}`);
          break;
        case 'clipboard-copied':
        case 'grant-approval':
        case 'grant-approval-ended':
          // (The approval dialog listens for these itself.)
          break;
      }
    });
  }, [loadAppState]);

  useActivityPings(phase === 'unlocked');

  let screen;
  if (startupError && !phase) screen = <StartupError message={startupError} onRetry={() => void loadAppState()} />;
  else if (phase === null) screen = <Splash />;
  else if (phase === 'no-vault') screen = <OnboardingScreen />;
  else if (phase === 'locked') screen = <UnlockScreen />;
  else screen = <VaultScreen />;

  return (
    <>
      {screen}
      {phase === 'unlocked' ? <GrantApprovalDialog /> : null}
      <VaultProgressBar />
      <Toasts />
    </>
  );
}
