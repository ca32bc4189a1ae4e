/**
 * First run: create a vault (master password with live strength feedback and
 * confirmation; optionally keep the key in the OS keychain) or open another
 * vault file.
 */
import { useEffect, useId, useState } from 'react';
import { Button } from '../../components/Button';
import { CheckboxField, PasswordField } from '../../components/Field';
import { FolderOpen, ShieldCheck } from '../../components/icons';
import { Logo } from '../../components/Logo';
import { MASTER_PASSWORD_RULE, masterPasswordShortfall } from '../../../../shared/master-password';
import { useStore } from '../../store';
import { StrengthMeter, useStrength, WeakPasswordOverride } from './PasswordStrength';

export function OnboardingScreen() {
  const appState = useStore((s) => s.appState)!;
  const createVault = useStore((s) => s.createVault);
  const chooseFile = useStore((s) => s.chooseFile);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);

  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const keychainReason = appState.keychainUnavailableReason;
  const [useKeychain, setUseKeychain] = useState(false);
  const [errors, setErrors] = useState<{ password?: string; confirm?: string }>({});
  const [busy, setBusy] = useState(false);
  // Offered only once a password was refused: an explicit, recorded choice, never the default.
  const [offerWeak, setOfferWeak] = useState(false);
  const [allowWeak, setAllowWeak] = useState(false);
  const { strength, loading } = useStrength(password);
  const meterId = useId();
  // "Create vault" pressed while the strength check still runs (the estimator loads lazily, slowly
  // on a busy machine): the click is kept and acted on when the check ends, not answered "try again".
  const [submitWhenChecked, setSubmitWhenChecked] = useState(false);

  const submit = async () => {
    const next: typeof errors = {};
    if (password && !strength && loading) {
      setSubmitWhenChecked(true);
      return;
    }
    if (!password) next.password = 'Choose a master password.';
    else if (!strength) next.password = 'Could not check the strength of this password.';
    else {
      const shortfall = masterPasswordShortfall(password, strength.score);
      if (shortfall && !allowWeak) {
        next.password = shortfall;
        setOfferWeak(true);
      }
    }
    if (!next.password && confirm !== password) next.confirm = 'The passwords do not match.';
    setErrors(next);
    if (next.password || next.confirm) return;
    setBusy(true);
    const weak = masterPasswordShortfall(password, strength!.score) !== null;
    const r = await createVault(password, useKeychain && !keychainReason, weak && allowWeak);
    setBusy(false);
    if (!r.ok) {
      if (r.error.code === 'BAD_REQUEST' && r.error.field === 'password') setErrors({ password: r.error.message });
      else toastError(r.error);
      return;
    }
    toast('success', 'Your vault is ready.');
    if (r.value.keychainNote) toast('info', r.value.keychainNote);
  };

  useEffect(() => {
    if (!submitWhenChecked || loading) return;
    setSubmitWhenChecked(false);
    void submit();
    // submit reads the latest state when the check ends; it is not a dependency to re-run on.
  }, [submitWhenChecked, loading]);

  return (
    <main className="flex min-h-full items-center justify-center overflow-y-auto p-6">
      <div className="w-full max-w-[440px] py-8">
        <div className="mb-7 flex flex-col items-center text-center">
          <Logo size="lg" />
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">Welcome to Keyward</h1>
          <p className="mt-1.5 text-muted">Create a vault for your passwords, API keys, tokens and secrets.</p>
        </div>

        <section aria-labelledby="create-heading" className="rounded-2xl border border-line bg-surface p-6 shadow-sm">
          <h2 id="create-heading" className="text-base font-semibold">
            Create a new vault
          </h2>
          <p className="mt-1 mb-5 truncate text-xs text-muted" title={appState.vaultPath}>
            Saved to <span className="font-mono">{appState.vaultPath}</span>
          </p>
          <form
            noValidate
            className="space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <div>
              <PasswordField
                label="Master password"
                autoFocus
                autoComplete="new-password"
                value={password}
                error={errors.password}
                hint={MASTER_PASSWORD_RULE}
                aria-describedby={meterId}
                onChange={(e) => {
                  setPassword(e.target.value);
                  if (errors.password) setErrors((x) => ({ ...x, password: undefined }));
                }}
              />
              <StrengthMeter id={meterId} strength={strength} loading={loading} empty={!password} />
            </div>
            {offerWeak ? <WeakPasswordOverride checked={allowWeak} onChange={setAllowWeak} /> : null}
            <PasswordField
              label="Confirm master password"
              autoComplete="new-password"
              value={confirm}
              error={errors.confirm}
              onChange={(e) => {
                setConfirm(e.target.value);
                if (errors.confirm) setErrors((x) => ({ ...x, confirm: undefined }));
              }}
            />
            <CheckboxField
              label="Also keep the key in the OS keychain"
              checked={useKeychain && !keychainReason}
              disabled={Boolean(keychainReason)}
              onChange={(e) => setUseKeychain(e.target.checked)}
              note={
                keychainReason
                  ? `Not available: ${keychainReason}`
                  : 'Unlock with one click on this computer. The master password keeps working everywhere.'
              }
            />
            <p className="flex items-start gap-2 rounded-lg bg-subtle px-3 py-2.5 text-xs text-muted">
              <ShieldCheck size={15} className="mt-px shrink-0 text-ok-text" aria-hidden="true" />
              There is no way to recover a forgotten master password. Write it down somewhere safe.
            </p>
            <Button type="submit" variant="primary" size="lg" className="w-full" busy={busy}>
              Create vault
            </Button>
          </form>
        </section>

        <div className="mt-5 text-center">
          <Button variant="ghost" icon={FolderOpen} onClick={() => void chooseFile('open')}>
            Open another vault file…
          </Button>
        </div>
      </div>
    </main>
  );
}
