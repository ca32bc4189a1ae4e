import { Fragment } from 'react';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { MOD } from '../vault-list/StatusBar';

const SHORTCUTS: { keys: string[][]; what: string }[] = [
  { keys: [['/'], [MOD, 'F']], what: 'Search' },
  { keys: [['↑'], ['↓']], what: 'Previous / next credential' },
  { keys: [['Home'], ['End']], what: 'First / last credential' },
  { keys: [['Enter']], what: 'Open the selected credential' },
  { keys: [[MOD, '⇧', 'C']], what: 'Copy the selected secret' },
  { keys: [['N']], what: 'New credential' },
  { keys: [[MOD, 'L']], what: 'Lock the vault' },
  { keys: [['Esc']], what: 'Close a dialog / clear the search' },
  { keys: [['?']], what: 'Show these shortcuts' },
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" size="sm" onClose={onClose} footer={<Button data-autofocus onClick={onClose}>Close</Button>}>
      <dl className="divide-y divide-line">
        {SHORTCUTS.map((s) => (
          <div key={s.what} className="flex items-center justify-between gap-4 py-2">
            <dt className="text-sm">{s.what}</dt>
            <dd className="flex shrink-0 items-center gap-1.5 text-xs text-muted">
              {s.keys.map((combo, i) => (
                <Fragment key={i}>
                  {i > 0 ? <span>or</span> : null}
                  <span className="flex gap-0.5">
                    {combo.map((k) => (
                      <kbd key={k} className="kbd">
                        {k}
                      </kbd>
                    ))}
                  </span>
                </Fragment>
              ))}
            </dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
