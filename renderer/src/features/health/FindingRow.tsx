/**
 * One finding as Health and the detail panel show it: its severity and kind
 * in the shared vocabulary, what is wrong, how to fix it, and a button that
 * opens the dialog that fixes it.
 */
import { useState } from 'react';
import type { Finding } from '../../../../shared/health/findings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Ban, Pencil, RotateCw, Tag } from '../../components/icons';
import { useStore } from '../../store';
import { ACTION_LABELS, KIND_LABELS, SEVERITY_LABELS, SEVERITY_TONES } from './labels';
import { deactivate } from '../detail/DeactivateDialog';

const ACTION_ICONS = { rotate: RotateCw, edit: Pencil, deactivate: Ban, retag: Tag } as const;

export function FindingRow({ credential, finding: f }: { credential: { id: string; active: boolean }; finding: Finding }) {
  const openDialog = useStore((s) => s.openDialog);
  const setActive = useStore((s) => s.setActive);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [busy, setBusy] = useState(false);

  const act = async () => {
    if (f.action === 'rotate') return openDialog({ kind: 'rotate', id: credential.id });
    if (f.action === 'edit' || f.action === 'retag') return openDialog({ kind: 'edit', id: credential.id });
    setBusy(true);
    const r = await deactivate({ setActive, openDialog }, credential.id);
    setBusy(false);
    // Null: the master password is asked in its own dialog (a custom rule would stop reminding).
    if (!r) return;
    if (r.ok) toast('success', 'Credential deactivated.');
    else toastError(r.error);
  };
  const hideAction = f.action === 'deactivate' && !credential.active;

  return (
    <li className="flex items-start gap-3 px-4 py-3">
      <Badge tone={SEVERITY_TONES[f.severity]} className="mt-0.5 w-16 justify-center">
        {SEVERITY_LABELS[f.severity]}
      </Badge>
      <div className="min-w-0 flex-1 text-sm">
        <p className="[overflow-wrap:anywhere]">
          <span className="font-medium">{KIND_LABELS[f.kind]}:</span> {f.message}
        </p>
        <p className="mt-0.5 text-xs text-muted [overflow-wrap:anywhere]">Fix: {f.fix}</p>
      </div>
      {hideAction ? null : (
        <Button size="sm" icon={ACTION_ICONS[f.action]} busy={busy} onClick={() => void act()}>
          {ACTION_LABELS[f.action]}
        </Button>
      )}
    </li>
  );
}
