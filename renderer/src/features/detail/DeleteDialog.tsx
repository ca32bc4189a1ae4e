import { useRef, useState } from 'react';
import { Button } from '../../components/Button';
import { ClampedText } from '../../components/ClampedText';
import { Dialog } from '../../components/Dialog';
import { Trash2 } from '../../components/icons';
import { plural } from '../../lib/format';
import { useStore } from '../../store';
import { focusCredentialList } from '../vault-list/CredentialList';

export function DeleteDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const credential = useStore((s) => s.credentials.find((c) => c.id === id));
  const detail = useStore((s) => (s.detail?.id === id ? s.detail : null));
  const removeCredential = useStore((s) => s.removeCredential);
  const undoRemove = useStore((s) => s.undoRemove);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [busy, setBusy] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);

  if (!credential) return null;
  const versions = detail?.versions.length ?? 1;

  const confirm = async () => {
    setBusy(true);
    const r = await removeCredential(id);
    setBusy(false);
    if (!r.ok) return toastError(r.error);
    const name = credential.name.length > 80 ? `${credential.name.slice(0, 80)}…` : credential.name;
    toast('success', `Deleted “${name}”.`, {
      label: 'Undo',
      run: async () => {
        const back = await undoRemove(id);
        if (back.ok) toast('success', `Restored “${name}”.`);
        else toastError(back.error);
      },
    });
    onClose();
    // The Delete button that opened this dialog is gone with the credential: continue from the list.
    focusCredentialList();
  };

  return (
    <Dialog
      role="alertdialog"
      size="sm"
      title={<ClampedText lines={3} text={`Delete “${credential.name}”?`} />}
      description={`This removes the credential and ${versions === 1 ? 'its value' : `all ${plural(versions, 'version')} of its value`} from the vault. You can undo it for a few seconds; backups made before now still contain it.`}
      onClose={onClose}
      initialFocus={cancel}
      icon={
        <div className="flex h-9 w-9 items-center justify-center rounded-full bg-danger-soft text-danger-text">
          <Trash2 size={18} aria-hidden="true" />
        </div>
      }
      footer={
        <>
          <Button ref={cancel} onClick={onClose}>
            Cancel
          </Button>
          <Button variant="danger" icon={Trash2} busy={busy} onClick={() => void confirm()}>
            Delete
          </Button>
        </>
      }
    />
  );
}
