/**
 * The preload exposes exactly one object to the page: the typed Keyward client.
 * Never ipcRenderer itself, and never the IPC event object (it carries `sender`).
 * Must stay CommonJS-compatible and dependency-free: it runs sandboxed.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CLIENT_GLOBAL, IPC_CHANNELS, type KeywardClient, type KeywardEvent } from '../shared/ipc/contract.js';

const client: KeywardClient = {
  call: (method, request) => ipcRenderer.invoke(IPC_CHANNELS.call, method, request),
  onEvent(listener) {
    const forward = (_event: unknown, payload: KeywardEvent) => listener(payload);
    ipcRenderer.on(IPC_CHANNELS.event, forward);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.event, forward);
    };
  },
};

contextBridge.exposeInMainWorld(CLIENT_GLOBAL, client);
