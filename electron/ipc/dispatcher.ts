/**
 * The single entry point for calls from a renderer, whatever the transport
 * (Electron IPC or the harness bridge): check who is calling, validate the
 * request against its schema, run the handler, and answer a Result. Nothing
 * thrown ever crosses back as an exception or a stack trace.
 */
import { isMethod, REQUEST_SCHEMAS } from '../../shared/ipc/schemas.js';
import type { KeywardApi } from '../../shared/ipc/contract.js';
import type { Result } from '../../shared/errors.js';
import { toErrorInfo } from '../core/errors.js';
import type { Handlers } from './handlers/index.js';

/** What the transport knows about the caller. */
export interface Sender {
  /** URL of the frame that sent the call. */
  url: string;
  /** False for sub-frames (iframes): only the app's top-level page may call. */
  isMainFrame: boolean;
}

/** True when `url` is the app's own page: same scheme, host and port as `appOrigin`. */
export function isAppPage(url: string, appOrigin: string): boolean {
  try {
    const parsed = new URL(url);
    const expected = new URL(appOrigin);
    return parsed.protocol === expected.protocol && parsed.host === expected.host;
  } catch {
    return false;
  }
}

export type Dispatch = (sender: Sender, method: unknown, request: unknown) => Promise<Result<unknown>>;

/**
 * What the app is still doing before its vault's requests may run: the
 * credentials it decodes in the background after an unlock (app-controller.ts
 * `credentialsDecoded`). Never rejects.
 */
export type VaultReady = () => Promise<void>;

/**
 * Requests answered without waiting for the credentials: they read none (the
 * state's count comes from the index), and a lock must not wait for a decode
 * it ends.
 */
const ANSWERED_WHILE_DECODING: ReadonlySet<keyof KeywardApi> = new Set<keyof KeywardApi>(['app.activity', 'app.state', 'app.openLink', 'vault.lock']);

/**
 * No call counts as the user's activity here: the renderer makes calls by
 * itself (on events, timers), so only `app.activity` — sent on real pointer and
 * keyboard input — and, in Electron, input events seen by main push the idle lock back.
 */
export function createDispatcher(handlers: Handlers, appOrigin: string, vaultReady: VaultReady = () => Promise.resolve()): Dispatch {
  return async (sender, method, request) => {
    if (!sender.isMainFrame || !isAppPage(sender.url, appOrigin)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Refused: this request did not come from the Keyward window.' } };
    }
    if (!isMethod(method)) {
      return { ok: false, error: { code: 'BAD_REQUEST', message: `Unknown request "${String(method).slice(0, 60)}".` } };
    }
    const parsed = REQUEST_SCHEMAS[method].safeParse(request ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join('.') || undefined;
      // The schema's message names what was expected; it never echoes the input value.
      const message = `Invalid request${field ? ` (${field})` : ''}: ${issue?.message ?? 'malformed'}.`;
      return { ok: false, error: { code: 'BAD_REQUEST', message, ...(field ? { field } : {}) } };
    }
    try {
      if (!ANSWERED_WHILE_DECODING.has(method)) await vaultReady();
      const handler = handlers[method] as (r: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) };
    }
  };
}
