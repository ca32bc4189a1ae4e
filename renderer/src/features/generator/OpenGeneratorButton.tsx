/** A "Generator…" link beside a value field: opens the generator over the form and fills the field with the value picked. */
import { useState } from 'react';
import { Dices } from '../../components/icons';
import { GeneratorDialog, kindForType } from './GeneratorDialog';

export function OpenGeneratorButton({ credentialType, onUse }: { credentialType: string; onUse: (value: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} className="inline-flex items-center gap-1 text-xs font-medium text-accent-text hover:underline" aria-haspopup="dialog">
        <Dices size={13} aria-hidden="true" />
        Generator…
      </button>
      {open ? <GeneratorDialog initialKind={kindForType(credentialType)} onUse={onUse} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
