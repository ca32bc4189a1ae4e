/** How a settings section tells the dialog it holds an edit, and how it says so when the user tries to leave it. */
import type { ReactNode } from 'react';
import { Info } from '../../components/icons';

/**
 * What the dialog needs from each section to close without losing an edit:
 * the timers, and the password fields of the keychain and master password
 * sections once something is typed in them.
 */
export interface PendingChanges {
  dirty(): boolean;
  /**
   * Saves the edit; false when it could not be saved yet (invalid, or the master password is needed),
   * or is never saved by leaving (a password change takes its own button): the section says why.
   */
  save(): Promise<boolean>;
  /** Puts the saved values back. */
  discard(): void;
}

/** Shown in a section whose edit the user tried to leave behind (Done, Escape, ×). */
export function PendingNote({ children }: { children: ReactNode }) {
  return (
    <p role="alert" className="mt-3 flex items-start gap-2 rounded-lg bg-warn-soft px-3 py-2 text-xs text-warn-text">
      <Info size={14} className="mt-px shrink-0" aria-hidden="true" />
      <span>{children}</span>
    </p>
  );
}

