/** Settings → "Rotate vault key now": a new vault key, every value re-encrypted (needs the master password). */
import { useState } from 'react';
import { Button } from '../../components/Button';
import { PasswordField } from '../../components/Field';
import { RefreshCw } from '../../components/icons';
import { call } from '../../lib/api';
import { formatDate } from '../../lib/format';
import { useStore } from '../../store';

export function RotateVaultKeySection() {
  const setAppState = useStore((s) => s.setAppState);
  const dueAt = useStore((s) => s.vaultKeyDueAt);
  const refreshRotation = useStore((s) => s.refreshRotation);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!password) return setError('Enter your master password.');
    setBusy(true);
    const r = await call('vault.rotateKey', { password });
    setBusy(false);
    if (!r.ok) {
      if (r.error.code === 'AUTH_FAILED') return setError(r.error.message);
      return toastError(r.error);
    }
    setPassword('');
    setAppState(r.value);
    void refreshRotation();
    toast('success', 'Vault key rotated: every value is now encrypted under a new key.');
  };

  return (
    <form
      noValidate
      className="flex items-start gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <PasswordField
        label="Master password"
        autoComplete="current-password"
        containerClassName="flex-1"
        value={password}
        error={error}
        hint={dueAt ? `Next scheduled rotation: ${formatDate(dueAt)}.` : undefined}
        onChange={(e) => {
          setPassword(e.target.value);
          setError(null);
        }}
      />
      <Button type="submit" size="md" icon={RefreshCw} busy={busy} className="mt-[26px]">
        Rotate vault key now
      </Button>
    </form>
  );
}
