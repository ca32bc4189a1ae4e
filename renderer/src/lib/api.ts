/**
 * The renderer's only door to main: the typed client the preload (or the
 * harness bridge) puts on `window.keyward`. Every call answers a Result; the
 * helpers here never throw for an expected error, and turn the unexpected
 * (a rejected promise, a missing bridge) into an INTERNAL error whose message
 * is safe to show — never a stack trace.
 */
import { CLIENT_GLOBAL, type KeywardClient, type KeywardEvent, type Method, type Request, type Response } from '../../../shared/ipc/contract';
import { isErrorInfo, type ErrorInfo, type Result } from '../../../shared/errors';

declare global {
  interface Window {
    keyward?: KeywardClient;
  }
}

/** The client, or null when the page was opened outside Keyward (no preload, no bridge). */
export function getClient(): KeywardClient | null {
  const client = (window as unknown as Record<string, unknown>)[CLIENT_GLOBAL] as KeywardClient | undefined;
  return client && typeof client.call === 'function' && typeof client.onEvent === 'function' ? client : null;
}

const INTERNAL: ErrorInfo = { code: 'INTERNAL', message: 'Something went wrong talking to Keyward. Nothing was changed.' };

/** Calls one method of the contract. Always resolves; errors come back as `{ ok: false }`. */
export async function call<M extends Method>(method: M, request: Request<M>): Promise<Result<Response<M>>> {
  const client = getClient();
  if (!client) return { ok: false, error: { code: 'INTERNAL', message: 'Keyward is not connected to this window.' } };
  try {
    const result = await client.call(method, request);
    if (result && typeof result === 'object' && 'ok' in result) {
      if (result.ok) return result;
      return { ok: false, error: isErrorInfo(result.error) ? result.error : INTERNAL };
    }
    return { ok: false, error: INTERNAL };
  } catch {
    return { ok: false, error: INTERNAL };
  }
}

export function onEvent(listener: (event: KeywardEvent) => void): () => void {
  const client = getClient();
  if (!client) return () => undefined;
  return client.onEvent(listener);
}

export type { ErrorInfo, Result };
