/**
 * Unlock: one click with the OS keychain where this vault keeps its key there,
 * the master password otherwise. Error states: wrong password (inline), locked
 * out (live countdown), and a damaged file (restore from a backup).
 */
import { useEffect, useRef, useState } from 'react';
import { Button } from '../../components/Button';
import { PasswordField } from '../../components/Field';
import { Clock, FolderOpen, KeyRound, LockOpen, ShieldAlert } from '../../components/icons';
import { Logo } from '../../components/Logo';
import { useSecondsLeft } from '../../lib/countdown';
import { baseName } from '../../lib/format';
import type { ErrorInfo } from '../../lib/api';
import { useStore } from '../../store';
import { VaultProblem, type Problem } from './VaultProblem';

const LOCK_REASONS: Record<string, string> = {
  idle: 'Keyward locked itself after a period of inactivity.',
  suspend: 'Keyward locked when the computer went to sleep.',
  'screen-lock': 'Keyward locked when the screen was locked.',
  'key-changed': 'The vault key was changed elsewhere, so Keyward locked. Unlock with the current master password.',
  incident: 'Keyward locked because of a security incident (see Incidents after unlocking).',
  reopen: 'Unlock to open the vault file as it is now on disk.',
};

export function UnlockScreen() {
  const appState = useStore((s) => s.appState)!;
  const unlock = useStore((s) => s.unlock);
  const chooseFile = useStore((s) => s.chooseFile);
  const toastError = useStore((s) => s.toastError);
  // This window's own record first; main's (which survives a reload of the window) otherwise.
  const lastLockReason = useStore((s) => s.lastLockReason ?? s.appState?.lastLock?.reason ?? null);

  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [keychainError, setKeychainError] = useState<string | null>(null);
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const [localProblem, setLocalProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState<'password' | 'keychain' | null>(null);
  // The file is an older copy than one opened here before: the person decides.
  const [olderCopy, setOlderCopy] = useState<{ message: string; via: 'password' | 'keychain' } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const secondsLeft = useSecondsLeft(lockedUntil);
  const lockedOut = lockedUntil !== null && secondsLeft > 0;

  useEffect(() => {
    if (lockedUntil !== null && secondsLeft <= 0) {
      setLockedUntil(null);
      setError(null);
      input.current?.focus();
    }
  }, [lockedUntil, secondsLeft]);

  const problem: Problem | null = appState.problem ?? localProblem;
  const keychainUsable = appState.vaultUsesKeychain && !appState.keychainUnavailableReason;

  const handleError = (e: ErrorInfo, via: 'password' | 'keychain') => {
    switch (e.code) {
      case 'AUTH_FAILED':
        if (via === 'password') {
          setError(e.message);
          setPassword('');
          input.current?.focus();
        } else setKeychainError(e.message);
        return;
      case 'LOCKED_OUT':
        setError(null);
        setLockedUntil(Date.now() + (e.retryAfterSeconds ?? 5) * 1000);
        return;
      case 'CORRUPTED':
      case 'UNSUPPORTED_VERSION':
        setLocalProblem({ code: e.code, message: e.message, backups: e.backups ?? [] });
        return;
      case 'KEYCHAIN_UNAVAILABLE':
        setKeychainError(e.message);
        return;
      case 'OLDER_COPY':
        setOlderCopy({ message: e.message, via });
        return;
      default:
        toastError(e);
    }
  };

  const unlockWithPassword = async (acceptOlder = false) => {
    if (lockedOut || busy) return;
    if (!password) {
      setError('Enter your master password.');
      input.current?.focus();
      return;
    }
    setBusy('password');
    setError(null);
    const r = await unlock({ method: 'password', password, ...(acceptOlder ? { acceptOlder } : {}) });
    setBusy(null);
    if (r.ok) setOlderCopy(null);
    else handleError(r.error, 'password');
  };

  const unlockWithKeychain = async (acceptOlder = false) => {
    setBusy('keychain');
    setKeychainError(null);
    const r = await unlock({ method: 'keychain', ...(acceptOlder ? { acceptOlder } : {}) });
    setBusy(null);
    if (r.ok) setOlderCopy(null);
    else handleError(r.error, 'keychain');
  };

  return (
    <main className="flex min-h-full items-center justify-center overflow-y-auto p-6">
      <div className="w-full max-w-[420px] py-8">
        <div className="mb-7 flex flex-col items-center text-center">
          <Logo size="lg" />
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">Unlock Keyward</h1>
          <p className="mt-1.5 max-w-full truncate text-sm text-muted" title={appState.vaultPath}>
            {baseName(appState.vaultPath)}
          </p>
        </div>

        {problem ? (
          <VaultProblem problem={problem} onRestored={() => setLocalProblem(null)} />
        ) : olderCopy ? (
          <section role="alertdialog" aria-labelledby="older-copy-title" aria-describedby="older-copy-text" className="rounded-2xl border border-line bg-surface p-6 shadow-sm">
            <h2 id="older-copy-title" className="text-base font-semibold text-warn-text">This is an older copy of your vault</h2>
            <p id="older-copy-text" className="mt-2 text-sm text-muted">
              {olderCopy.message}
            </p>
            <div className="mt-5 flex flex-wrap justify-end gap-2">
              <Button variant="secondary" autoFocus onClick={() => setOlderCopy(null)}>
                Cancel
              </Button>
              <Button
                variant="danger"
                busy={busy !== null}
                onClick={() => void (olderCopy.via === 'password' ? unlockWithPassword(true) : unlockWithKeychain(true))}
              >
                Open this older copy
              </Button>
            </div>
          </section>
        ) : (
          <section aria-label="Unlock" className="rounded-2xl border border-line bg-surface p-6 shadow-sm">
            {lastLockReason && LOCK_REASONS[lastLockReason] ? (
              // A lock for a security incident is not routine: it reads as a warning, not as the idle lock's note.
              <p className={`mb-4 flex items-start gap-2 rounded-lg px-3 py-2 text-xs ${lastLockReason === 'incident' ? 'bg-warn-soft font-medium text-warn-text' : 'bg-subtle text-muted'}`}>
                {lastLockReason === 'incident' ? <ShieldAlert size={14} className="mt-px shrink-0" aria-hidden="true" /> : <Clock size={14} className="mt-px shrink-0" aria-hidden="true" />}
                {LOCK_REASONS[lastLockReason]}
              </p>
            ) : null}

            {keychainUsable ? (
              <div className="mb-5">
                <Button
                  variant="primary"
                  size="lg"
                  icon={KeyRound}
                  className="w-full"
                  autoFocus
                  busy={busy === 'keychain'}
                  disabled={busy === 'password'}
                  onClick={() => void unlockWithKeychain()}
                >
                  Unlock with keychain
                </Button>
                {keychainError ? (
                  <p className="mt-2 text-[13px] text-danger-text" role="alert">
                    {keychainError}
                  </p>
                ) : null}
                <div className="mt-5 flex items-center gap-3 text-xs text-faint" aria-hidden="true">
                  <div className="h-px flex-1 bg-line" />
                  or use your master password
                  <div className="h-px flex-1 bg-line" />
                </div>
              </div>
            ) : null}

            <form
              noValidate
              className="space-y-4"
              onSubmit={(e) => {
                e.preventDefault();
                void unlockWithPassword();
              }}
            >
              <PasswordField
                ref={input}
                label="Master password"
                autoFocus={!keychainUsable}
                autoComplete="current-password"
                value={password}
                disabled={lockedOut}
                error={lockedOut ? `Too many wrong passwords. Try again in ${secondsLeft} s.` : error}
                onChange={(e) => {
                  setPassword(e.target.value);
                  if (error) setError(null);
                }}
              />
              <Button type="submit" variant={keychainUsable ? 'secondary' : 'primary'} size="lg" icon={LockOpen} className="w-full" busy={busy === 'password'} disabled={lockedOut || busy === 'keychain'}>
                {lockedOut ? `Locked for ${secondsLeft} s` : 'Unlock'}
              </Button>
            </form>
            {appState.vaultUsesKeychain && appState.keychainUnavailableReason ? (
              <p className="mt-4 text-xs text-muted">The OS keychain is not available ({appState.keychainUnavailableReason}), so use the master password.</p>
            ) : null}
          </section>
        )}

        <div className="mt-5 text-center">
          <Button variant="ghost" icon={FolderOpen} onClick={() => void chooseFile('open')}>
            Open another vault file…
          </Button>
        </div>
      </div>
    </main>
  );
}
