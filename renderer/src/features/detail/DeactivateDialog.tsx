/**
 * Deactivating a credential that a custom rule keeps on a rotation schedule
 * (or a maximum age) stops those reminders for it, which loosens the rule:
 * the core asks for the master password, and this dialog asks the person,
 * with the core's reason. Opened by `deactivate` below when the first try is
 * refused for want of it.
 */
import { useState } from 'react';
import type { CredentialDetail } from '../../../../shared/domain';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { PasswordField } from '../../components/Field';
import { EyeOff } from '../../components/icons';
import type { Result } from '../../lib/api';
import { useStore } from '../../store';

type Store = ReturnType<typeof useStore.getState>;

/**
 * Deactivates, or opens this dialog when the rules say it needs the master
 * password. Resolves to the result when it was done (or failed otherwise), null when the dialog took over.
 */
export async function deactivate(store: Pick<Store, 'setActive' | 'openDialog'>, id: string): Promise<Result<CredentialDetail> | null> {
  const r = await store.setActive(id, false);
  if (!r.ok && r.error.field === 'password') {
    store.openDialog({ kind: 'deactivate', id, reason: r.error.message });
    return null;
  }
  return r;
}

export function DeactivateDialog({ id, reason, onClose }: { id: string; reason: string; onClose: () => void }) {
  const name = useStore((s) => s.credentials.find((c) => c.id === id)?.name ?? 'this credential');
  const setActive = useStore((s) => s.setActive);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    if (!password) return setError('Enter your master password to confirm.');
    setBusy(true);
    const r = await setActive(id, false, password);
    setBusy(false);
    if (r.ok) {
      onClose();
      return toast('success', 'Credential deactivated.');
    }
    if (r.error.code === 'AUTH_FAILED' || r.error.code === 'LOCKED_OUT' || r.error.field === 'password') return setError(r.error.message);
    onClose();
    toastError(r.error);
  };

  return (
    <Dialog
      size="sm"
      title={`Deactivate “${name.length > 80 ? `${name.slice(0, 80)}…` : name}”?`}
      description={reason.replace(/^Enter your master password to confirm: /, '').replace(/^./, (c) => c.toUpperCase())}
      onClose={onClose}
      onSubmit={() => void confirm()}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" icon={EyeOff} busy={busy}>
            Deactivate
          </Button>
        </>
      }
    >
      <PasswordField label="Master password, to confirm" autoComplete="current-password" autoFocus value={password} error={error} onChange={(e) => setPassword(e.target.value)} />
    </Dialog>
  );
}
