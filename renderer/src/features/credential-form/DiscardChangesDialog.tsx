/**
 * Asked before a dirty form closes (Escape, the close button, the backdrop,
 * Cancel): typed work — a secret, often copied from a provider's one-time
 * page — is not thrown away without a word. "Keep editing" has focus, so a
 * second Escape or Enter loses nothing.
 */
import { useRef } from 'react';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';

export function DiscardChangesDialog({ title, description, onKeep, onDiscard }: { title: string; description: string; onKeep: () => void; onDiscard: () => void }) {
  const keep = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      role="alertdialog"
      size="sm"
      title={title}
      description={description}
      onClose={onKeep}
      initialFocus={keep}
      footer={
        <>
          <Button ref={keep} onClick={onKeep}>
            Keep editing
          </Button>
          <Button variant="danger" onClick={onDiscard}>
            Discard
          </Button>
        </>
      }
    />
  );
}
