import { useRef, useState } from 'react';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Trash2 } from '../../components/icons';
import { plural } from '../../lib/format';
import { useStore } from '../../store';

export function DeleteDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const credential = useStore((s) => s.credentials.find((c) => c.id === id));
  const detail = useStore((s) => (s.detail?.id === id ? s.detail : null));
  const removeCredential = useStore((s) => s.removeCredential);
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
    toast('success', `Deleted “${credential.name.length > 80 ? `${credential.name.slice(0, 80)}…` : credential.name}”.`);
    onClose();
  };

  return (
    <Dialog
      role="alertdialog"
      size="sm"
      title={`Delete “${credential.name}”?`}
      description={`This removes the credential and ${versions === 1 ? 'its value' : `all ${plural(versions, 'version')} of its value`} from the vault. Backups made before now still contain it.`}
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
