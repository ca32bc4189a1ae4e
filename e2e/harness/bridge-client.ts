/**
 * The harness's stand-in for the Electron preload: defines `window.keyward`
 * with the same KeywardClient contract, carried over HTTP to the harness on
 * 127.0.0.1. The token arrives in the URL fragment (never sent to a server),
 * is kept in sessionStorage and removed from the address bar.
 */
import { CLIENT_GLOBAL, type KeywardClient, type KeywardEvent } from '../../shared/ipc/contract.js';

const TOKEN_KEY = 'keyward-harness-token';
const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
if (fromHash) {
  sessionStorage.setItem(TOKEN_KEY, fromHash);
  history.replaceState(null, '', location.pathname + location.search);
}
const token = sessionStorage.getItem(TOKEN_KEY) ?? '';

const listeners = new Set<(event: KeywardEvent) => void>();

async function streamEvents(): Promise<void> {
  for (;;) {
    try {
      const response = await fetch('/__bridge/events', { headers: { 'x-keyward-token': token } });
      if (!response.ok || !response.body) throw new Error('event stream refused');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (line.startsWith('data: ')) {
            const event = JSON.parse(line.slice(6)) as KeywardEvent;
            for (const l of listeners) l(event);
          }
        }
      }
    } catch {
      /* reconnect below */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits before each retry of a call whose connection dropped; then the call fails. */
const RETRY_DELAYS_MS = [50, 250, 1000];

const client: KeywardClient = {
  async call(method, request) {
    // One id for every attempt: the harness answers a replay from the first answer, so a
    // write whose reply was lost is never applied twice.
    const callId = crypto.randomUUID();
    const body = JSON.stringify({ method, request });
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch('/__bridge/call', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-keyward-token': token, 'x-keyward-call-id': callId },
          body,
        });
      } catch {
        // The connection dropped (the harness restarted a socket, the machine is busy): try again.
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined) return { ok: false, error: { code: 'INTERNAL', message: 'Lost the connection to the Keyward harness.' } };
        await new Promise((r) => setTimeout(r, delay));
        continue;
      }
      if (!response.ok) return { ok: false, error: { code: 'FORBIDDEN', message: `The harness refused the call (${response.status}).` } };
      try {
        return await response.json();
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: 'Lost the connection to the Keyward harness.' } };
      }
    }
  },
  onEvent(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

Object.defineProperty(window, CLIENT_GLOBAL, { value: Object.freeze(client), writable: false, configurable: false });
void streamEvents();
