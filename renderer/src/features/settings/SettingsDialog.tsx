/**
 * Settings: auto-lock and clipboard timers, the OS keychain for this vault,
 * the master password, the vault key, the audit trail, and backups.
 */
import { useEffect, useId, useImperativeHandle, useRef, useState, type ReactNode, type Ref } from 'react';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { CheckboxField, PasswordField, TextField } from '../../components/Field';
import { Check, Clock, Info, KeyRound, LockKeyhole, RefreshCw, ScrollText, Undo2 } from '../../components/icons';
import { call } from '../../lib/api';
import { formatCount, formatDate } from '../../lib/format';
import { MASTER_PASSWORD_RULE, masterPasswordShortfall } from '../../../../shared/master-password';
import { useStore } from '../../store';
import { StrengthMeter, useStrength, WeakPasswordOverride } from '../onboarding/PasswordStrength';
import { AuditTrailSection } from './AuditTrailSection';
import { BackupsSection } from './BackupsSection';
import { PendingNote, type PendingChanges } from './pending-changes';
import { RotateVaultKeySection } from '../rotation/RotateVaultKeySection';

function Section({ title, icon, children, description }: { title: string; icon: ReactNode; description?: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="border-t border-line py-5 first:border-t-0 first:pt-1">
      <div className="mb-3 flex items-center gap-2">
        <span className="text-muted">{icon}</span>
        <h3 id={id} className="text-sm font-semibold">
          {title}
        </h3>
      </div>
      {description ? <p className="-mt-1.5 mb-3 text-xs text-muted">{description}</p> : null}
      {children}
    </section>
  );
}

/** `pending`: the user tried to leave with an edit that could not be saved yet; the form says so until it is saved or discarded. */
function TimersSection({ ref, pending, onSaved }: { ref?: Ref<PendingChanges>; pending: boolean; onSaved: () => void }) {
  const appState = useStore((s) => s.appState);
  const setAppState = useStore((s) => s.setAppState);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const settings = appState?.settings;
  const [autoLock, setAutoLock] = useState(String(settings?.autoLockMinutes ?? 5));
  const [clipboard, setClipboard] = useState(String(settings?.clipboardClearSeconds ?? 30));
  const [errors, setErrors] = useState<{ autoLock?: string; clipboard?: string; password?: string }>({});
  const [busy, setBusy] = useState(false);
  // Main asks for the master password when a change weakens protection (a later or no auto-lock,
  // a later clipboard clear); the field appears with main's reason and the change is sent again.
  const [confirmPassword, setConfirmPassword] = useState<string | null>(null);

  const save = async (): Promise<boolean> => {
    const minutes = Number(autoLock);
    const seconds = Number(clipboard);
    const next: typeof errors = {};
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) next.autoLock = 'Enter whole minutes from 0 (never) to 1440.';
    if (!Number.isInteger(seconds) || seconds < 5 || seconds > 600) next.clipboard = 'Enter whole seconds from 5 to 600.';
    if (confirmPassword === '') next.password = 'Enter your master password to confirm.';
    setErrors(next);
    if (next.autoLock || next.clipboard || next.password) return false;
    setBusy(true);
    const r = await call('settings.update', { autoLockMinutes: minutes, clipboardClearSeconds: seconds, ...(confirmPassword ? { password: confirmPassword } : {}) });
    setBusy(false);
    if (!r.ok) {
      const f = r.error.field ?? '';
      if (f.includes('autoLock')) setErrors({ autoLock: r.error.message });
      else if (f.includes('clipboard')) setErrors({ clipboard: r.error.message });
      else if (f === 'password' || r.error.code === 'AUTH_FAILED' || r.error.code === 'LOCKED_OUT') {
        setConfirmPassword((p) => p ?? '');
        setErrors({ password: r.error.message });
      } else toastError(r.error);
      return false;
    }
    setConfirmPassword(null);
    onSaved();
    if (appState) setAppState({ ...appState, settings: r.value });
    toast('success', 'Settings saved.');
    return true;
  };

  const dirty = settings ? autoLock !== String(settings.autoLockMinutes) || clipboard !== String(settings.clipboardClearSeconds) : false;
  useImperativeHandle(
    ref,
    () => ({
      dirty: () => dirty,
      save,
      discard: () => {
        setAutoLock(String(settings?.autoLockMinutes ?? 5));
        setClipboard(String(settings?.clipboardClearSeconds ?? 30));
        setConfirmPassword(null);
        setErrors({});
      },
    }),
  );
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="grid grid-cols-2 gap-4">
        <TextField
          label="Auto-lock after (minutes)"
          type="number"
          inputMode="numeric"
          min={0}
          max={1440}
          value={autoLock}
          error={errors.autoLock}
          hint="When Keyward itself is idle; 0 never. Also locks on sleep and screen lock."
          onChange={(e) => setAutoLock(e.target.value)}
        />
        <TextField
          label="Clear clipboard after (seconds)"
          type="number"
          inputMode="numeric"
          min={5}
          max={600}
          value={clipboard}
          error={errors.clipboard}
          hint="Only if it still holds what Keyward copied."
          onChange={(e) => setClipboard(e.target.value)}
        />
      </div>
      <p className="mt-2 text-xs text-muted">Longer than 5 minutes, off, or clearing the clipboard later than 30 seconds asks for your master password.</p>
      {pending && dirty ? <PendingNote>Your timer changes are not saved yet. Save them below, or discard them to leave.</PendingNote> : null}
      {confirmPassword !== null ? (
        <PasswordField
          containerClassName="mt-3"
          label="Master password, to confirm the timers"
          autoComplete="current-password"
          autoFocus
          value={confirmPassword}
          error={errors.password}
          onChange={(e) => setConfirmPassword(e.target.value)}
        />
      ) : null}
      <div className="mt-3 flex justify-end">
        <Button type="submit" size="sm" variant={dirty ? 'primary' : 'secondary'} icon={Check} busy={busy}>
          {confirmPassword !== null ? 'Confirm and save timers' : 'Save timers'}
        </Button>
      </div>
    </form>
  );
}

function KeychainSection({ ref, pending, onSaved }: { ref?: Ref<PendingChanges>; pending: boolean; onSaved: () => void }) {
  const appState = useStore((s) => s.appState);
  const setAppState = useStore((s) => s.setAppState);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  // Turning the keychain on stores the vault key where it unlocks without a password: confirm with it.
  const [password, setPassword] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const enabled = appState?.vault?.keychainEnabled ?? false;
  const reason = appState?.keychainUnavailableReason ?? null;

  // A typed confirmation is an unfinished "turn on": leaving asks first, and never turns it on by itself.
  const dirty = Boolean(password);
  useImperativeHandle(ref, () => ({
    dirty: () => dirty,
    save: async () => false,
    discard: () => {
      setPassword(null);
      setPasswordError(null);
    },
  }));

  const toggle = async (next: boolean, confirmWith?: string) => {
    if (next && confirmWith === undefined) {
      setPassword('');
      setPasswordError(null);
      return;
    }
    setBusy(true);
    const r = await call('vault.setKeychain', { enabled: next, ...(confirmWith ? { password: confirmWith } : {}) });
    setBusy(false);
    if (!r.ok) {
      if (next && (r.error.code === 'AUTH_FAILED' || r.error.code === 'LOCKED_OUT' || r.error.field === 'password')) return setPasswordError(r.error.message);
      return toastError(r.error);
    }
    setPassword(null);
    onSaved();
    setAppState(r.value.state);
    setNote(r.value.note);
    toast('success', next ? 'The vault key is now kept in the OS keychain.' : 'The vault key was removed from the OS keychain.');
  };

  return (
    <div>
      <CheckboxField
        label="Keep the vault key in the OS keychain"
        checked={enabled || password !== null}
        disabled={busy || (Boolean(reason) && !enabled) || password !== null}
        onChange={(e) => void toggle(e.target.checked)}
        note={reason && !enabled ? `Not available: ${reason}` : 'Lets you unlock with one click on this computer. The master password always works.'}
      />
      {password !== null ? (
        <form
          noValidate
          className="mt-3 flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!password) return setPasswordError('Enter your master password to confirm.');
            void toggle(true, password);
          }}
        >
          <PasswordField
            containerClassName="min-w-0 flex-1"
            label="Master password, to keep the key in the keychain"
            autoComplete="current-password"
            autoFocus
            value={password}
            error={passwordError ?? undefined}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Button type="submit" size="md" variant="primary" busy={busy}>
            Confirm
          </Button>
          <Button size="md" variant="ghost" onClick={() => setPassword(null)}>
            Cancel
          </Button>
        </form>
      ) : null}
      {pending && dirty ? <PendingNote>The vault key is not in the keychain yet. Confirm with your master password above, or discard to leave.</PendingNote> : null}
      {note ? (
        <p className="mt-3 flex items-start gap-2 rounded-lg bg-subtle px-3 py-2 text-xs text-muted" role="status">
          <Info size={14} className="mt-px shrink-0" aria-hidden="true" />
          {note}
        </p>
      ) : null}
    </div>
  );
}

function PasswordSection({ ref, pending, onSaved }: { ref?: Ref<PendingChanges>; pending: boolean; onSaved: () => void }) {
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ current?: string; next?: string; confirm?: string }>({});
  const [busy, setBusy] = useState(false);
  const { strength, loading } = useStrength(next);
  const meterId = useId();
  // As in onboarding: a click during the strength check is kept and acted on when it ends.
  const [submitWhenChecked, setSubmitWhenChecked] = useState(false);
  // As in onboarding: the override is offered once a weak password was refused, and only while it falls short.
  const [offerWeak, setOfferWeak] = useState(false);
  const [allowWeak, setAllowWeak] = useState(false);
  const shortfall = next && strength ? masterPasswordShortfall(next, strength.score) : null;

  const clear = () => {
    setCurrent('');
    setNext('');
    setConfirm('');
    setErrors({});
    setOfferWeak(false);
    setAllowWeak(false);
  };
  // Typed passwords are an unfinished change: leaving asks first, and never changes the password by itself.
  const dirty = Boolean(current || next || confirm);
  useImperativeHandle(ref, () => ({ dirty: () => dirty, save: async () => false, discard: clear }));

  const submit = async () => {
    const e: typeof errors = {};
    if (next && !strength && loading) {
      setSubmitWhenChecked(true);
      return;
    }
    if (!current) e.current = 'Enter your current master password.';
    if (!next) e.next = 'Choose a new master password.';
    else if (!strength) e.next = 'Could not check the strength of this password.';
    else if (shortfall && !allowWeak) {
      e.next = shortfall;
      setOfferWeak(true);
    }
    if (!e.next && next !== confirm) e.confirm = 'The passwords do not match.';
    setErrors(e);
    if (e.current || e.next || e.confirm) return;
    setBusy(true);
    const r = await call('vault.changePassword', { currentPassword: current, newPassword: next, ...(shortfall && allowWeak ? { allowWeakPassword: true } : {}) });
    setBusy(false);
    if (!r.ok) {
      if (r.error.code === 'AUTH_FAILED') return setErrors({ current: r.error.message });
      if (r.error.code === 'BAD_REQUEST' && r.error.field?.includes('newPassword')) return setErrors({ next: r.error.message });
      return toastError(r.error);
    }
    clear();
    onSaved();
    toast('success', 'Master password changed.');
  };

  useEffect(() => {
    if (!submitWhenChecked || loading) return;
    setSubmitWhenChecked(false);
    void submit();
  }, [submitWhenChecked, loading]);

  return (
    <form
      noValidate
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <PasswordField label="Current master password" autoComplete="current-password" value={current} error={errors.current} onChange={(e) => setCurrent(e.target.value)} />
      <div className="grid grid-cols-2 gap-4">
        <div>
          <PasswordField label="New master password" autoComplete="new-password" value={next} error={errors.next} hint={MASTER_PASSWORD_RULE} aria-describedby={meterId} onChange={(e) => setNext(e.target.value)} />
          {next ? <StrengthMeter id={meterId} strength={strength} loading={loading} empty={false} /> : null}
        </div>
        <PasswordField label="Confirm new master password" autoComplete="new-password" value={confirm} error={errors.confirm} onChange={(e) => setConfirm(e.target.value)} />
      </div>
      {offerWeak && shortfall ? <WeakPasswordOverride checked={allowWeak} onChange={setAllowWeak} /> : null}
      {pending && dirty ? <PendingNote>Your new master password is not saved yet. Change it below, or discard it to leave.</PendingNote> : null}
      <div className="flex justify-end">
        <Button type="submit" size="sm" icon={KeyRound} busy={busy}>
          Change master password
        </Button>
      </div>
    </form>
  );
}

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const vault = useStore((s) => s.appState?.vault ?? null);
  const count = useStore((s) => s.credentials.length);
  const timers = useRef<PendingChanges>(null);
  const keychain = useRef<PendingChanges>(null);
  const password = useRef<PendingChanges>(null);
  const audit = useRef<PendingChanges>(null);
  const sections = [timers, keychain, password, audit];
  const [closing, setClosing] = useState(false);
  const [pending, setPending] = useState(false);
  const saved = () => setPending(false);

  // Done, Escape and × all leave the same way: an edit is saved, or stays visibly pending — never dropped.
  const close = async () => {
    if (closing) return;
    const edited = sections.map((s) => s.current).filter((s): s is PendingChanges => s?.dirty() ?? false);
    if (edited.length) {
      setClosing(true);
      let allSaved = true;
      for (const section of edited) allSaved = (await section.save()) && allSaved;
      setClosing(false);
      if (!allSaved) return setPending(true);
    }
    onClose();
  };
  const discard = () => {
    for (const s of sections) s.current?.discard();
    onClose();
  };

  return (
    <Dialog
      title="Settings"
      description={vault ? vault.path : undefined}
      size="lg"
      onClose={() => void close()}
      footer={
        <>
          {pending ? (
            <Button variant="ghost" onClick={discard}>
              Discard changes
            </Button>
          ) : null}
          <Button busy={closing} onClick={() => void close()}>
            Done
          </Button>
        </>
      }
    >
      <Section title="Locking and clipboard" icon={<Clock size={16} aria-hidden="true" />}>
        <TimersSection ref={timers} pending={pending} onSaved={saved} />
      </Section>
      <Section title="OS keychain" icon={<LockKeyhole size={16} aria-hidden="true" />}>
        <KeychainSection ref={keychain} pending={pending} onSaved={saved} />
      </Section>
      <Section title="Master password" icon={<KeyRound size={16} aria-hidden="true" />} description="Re-encrypts the vault key under the new password. Backups keep working with the password they were saved with.">
        <PasswordSection ref={password} pending={pending} onSaved={saved} />
      </Section>
      <Section title="Vault key" icon={<RefreshCw size={16} aria-hidden="true" />} description="Replaces the key that encrypts every value and re-encrypts the vault (and updates the OS keychain if it holds the key).">
        <RotateVaultKeySection />
      </Section>
      <Section title="Audit trail" icon={<ScrollText size={16} aria-hidden="true" />} description="How long the trail of every operation is kept, and where the app sends it for as long as the vault is open (a SIEM's syslog receiver).">
        <AuditTrailSection ref={audit} pending={pending} onSaved={saved} />
      </Section>
      <Section title="Backups" icon={<Undo2 size={16} aria-hidden="true" />} description="Keyward keeps a copy of the vault before each save.">
        <BackupsSection />
      </Section>
      {vault ? (
        <p className="border-t border-line pt-4 text-xs text-muted">
          {formatCount(count)} {count === 1 ? "credential" : "credentials"} · created {formatDate(vault.createdAt)} · key derivation: PBKDF2, {formatCount(vault.kdfIterations)} iterations
        </p>
      ) : null}
    </Dialog>
  );
}
