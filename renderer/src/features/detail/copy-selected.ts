import { credentialType } from '../../../../shared/credential-types/index';
import { useStore } from '../../store';

/** Copies the selected credential's current value (Ctrl/Cmd+Shift+C). Main does the copying. */
export async function copySelectedSecret(): Promise<void> {
  const s = useStore.getState();
  const id = s.selectedId;
  if (!id) {
    s.toast('info', 'Select a credential first, then copy its secret.');
    return;
  }
  const c = s.credentials.find((x) => x.id === id);
  if (!c) return;
  await s.copyToClipboard(c, 'value', credentialType(c.type).secretLabel);
}
