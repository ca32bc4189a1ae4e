/**
 * "Mark as compromised": the confirm step says what follows — due for
 * rotation at once, and an incident opens (main tells of it with the
 * incidents-opened event, which shows its toast and counts it in the badge).
 */
import { useRef, useState } from 'react';
import { Button } from '../../components/Button';
import { ClampedText } from '../../components/ClampedText';
import { Dialog } from '../../components/Dialog';
import { ShieldX, TriangleAlert } from '../../components/icons';
import { call, type ErrorInfo } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useStore } from '../../store';

export function MarkCompromisedDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const credential = useStore((s) => s.credentials.find((c) => c.id === id));
  const detail = useStore((s) => (s.detail?.id === id ? s.detail : null));
  const applyDetail = useStore((s) => s.applyDetail);
  const refreshRotation = useStore((s) => s.refreshRotation);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  if (!credential) return null;
  // Marked before and not rotated since: marking again opens another incident, nothing more.
  const markedAt = detail?.rotation.compromisedAt;
  const stillMarked = markedAt && (!detail.lastRotatedAt || Date.parse(markedAt) > Date.parse(detail.lastRotatedAt)) ? markedAt : null;

  const confirm = async () => {
    setBusy(true);
    setError(null);
    const r = applyDetail(await call('credentials.markCompromised', { id }));
    setBusy(false);
    if (!r.ok) return setError(r.error);
    // The due reason shows at once in the detail panel (the list's own refresh would follow a moment later).
    void refreshRotation();
    onClose();
  };

  return (
    <Dialog
      role="alertdialog"
      size="sm"
      title={<ClampedText lines={3} text={`Mark “${credential.name}” as compromised?`} />}
      description="Do this when its value may have leaked. It becomes due for rotation at once (overdue until you rotate it), and a security incident opens so that every use of it can be looked into. The value itself is not changed: rotate it, and revoke the old one at the provider."
      onClose={onClose}
      initialFocus={cancel}
      icon={
        <div className="flex h-9 w-9 items-center justify-center rounded-full bg-danger-soft text-danger-text">
          <ShieldX size={18} aria-hidden="true" />
        </div>
      }
      footer={
        <>
          <Button ref={cancel} onClick={onClose}>
            Cancel
          </Button>
          <Button variant="danger" icon={ShieldX} busy={busy} onClick={() => void confirm()}>
            Mark compromised
          </Button>
        </>
      }
    >
      {stillMarked || error ? (
        <>
          {stillMarked ? <p className="text-sm text-muted">It was already marked compromised on {formatDateTime(stillMarked)} and has not been rotated since; marking it again opens another incident.</p> : null}
          {error ? (
            <p role="alert" className={`flex items-start gap-1.5 text-[13px] text-danger-text [overflow-wrap:anywhere] ${stillMarked ? 'mt-3' : ''}`}>
              <TriangleAlert size={14} className="mt-0.5 shrink-0" aria-hidden="true" />
              {error.message}
            </p>
          ) : null}
        </>
      ) : null}
    </Dialog>
  );
}
