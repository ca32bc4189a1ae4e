/**
 * One credential's due state, asked of main (`rotation.due`) — the window
 * never holds the whole schedule. Asked again when the id or `again` changes
 * (a write, a refresh of what is due); until main answers for this id,
 * nothing: never another credential's state. A credential deleted or a vault
 * locked meanwhile gives null (the list and the lock screen say why).
 */
import { useEffect, useState } from 'react';
import type { DueItem } from '../../../../shared/rotation';
import { call } from '../../lib/api';

export function useDueOf(id: string | null, again: readonly unknown[]): DueItem | null {
  const [due, setDue] = useState<{ id: string; item: DueItem | null } | null>(null);
  useEffect(() => {
    if (id === null) return;
    let current = true;
    void call('rotation.due', { id }).then((r) => {
      if (current) setDue({ id, item: r.ok ? r.value : null });
    });
    return () => {
      current = false;
    };
    // (`again`: what makes an answer stale; each caller passes the same number of things.)
  }, [id, ...again]);
  return id !== null && due?.id === id ? due.item : null;
}
