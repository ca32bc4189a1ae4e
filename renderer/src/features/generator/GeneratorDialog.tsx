/** "Open generator…" from a value field: the generator in a dialog over the form; "Use this value" fills the field. */
import { useState } from 'react';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Check } from '../../components/icons';
import { GeneratorPanel, type GeneratorKind } from './GeneratorPanel';

export function GeneratorDialog({ initialKind, onUse, onClose }: { initialKind: GeneratorKind; onUse: (value: string) => void; onClose: () => void }) {
  const [value, setValue] = useState<string | null>(null);
  return (
    <Dialog
      title="Generate a value"
      size="lg"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            icon={Check}
            disabled={!value}
            onClick={() => {
              if (value) onUse(value);
              onClose();
            }}
          >
            Use this value
          </Button>
        </>
      }
    >
      <GeneratorPanel initialKind={initialKind} onValue={setValue} />
    </Dialog>
  );
}

/** The generator kind that fits a credential type. */
export function kindForType(type: string): GeneratorKind {
  return type === 'password' ? 'password' : 'api';
}
