/**
 * The CLI's side of the local API (docs/local-api.md): finds the running
 * app's socket for a vault, refuses one that is not this user's (a socket
 * another user planted could collect tokens), and sends requests over it.
 */
import { lstatSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, resolve } from 'node:path';
import { localApiSocketPath } from '../core/api/socket-path.js';
import { LOCAL_API_VERSION, MAX_ANSWER_BYTES, type LocalApiAnswer, type LocalApiMethod } from '../../shared/local-api.js';
import { KeywardError } from '../core/errors.js';
import { ERROR_CODES, type ErrorCode } from '../../shared/errors.js';
import { SERVER_PROOF_METHOD } from '../../shared/local-api.js';

/** How long a request may wait for its answer: an approval waits for a person. */
const ANSWER_TIMEOUT_MS = 5 * 60_000;
/** How long the app has to prove itself: it answers at once, with no person involved. */
const PROOF_TIMEOUT_MS = 10_000;

export interface ConnectOptions {
  /**
   * Whether the server must prove it holds this user's server key before any
   * token is sent (core/api/server-proof.ts). Default: on Windows, where a
   * pipe's owner cannot be checked; on Unix the socket's and its folder's
   * owner and mode (checkSocketOwner) already say it is this user's.
   */
  verifyServer?: boolean;
}

export interface CallOptions {
  /** How long to wait for the answer (default 5 minutes): a rotator's steps may take hours. */
  timeoutMs?: number;
}

export interface LocalApiClient {
  call(method: LocalApiMethod, params?: Record<string, unknown>, options?: CallOptions): Promise<unknown>;
  /** The same, with another token (the CLI's session with the app). */
  callWith(token: string, method: LocalApiMethod, params?: Record<string, unknown>): Promise<unknown>;
  close(): void;
}

/** Refuses (FORBIDDEN) a socket, or its folder, that another user owns or others may enter. */
export async function checkSocketOwner(path: string): Promise<'ok' | 'absent'> {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return 'ok';
  const uid = process.getuid();
  const stat = (p: string) => {
    try {
      return lstatSync(p);
    } catch {
      return null;
    }
  };
  const socket = stat(path);
  if (!socket) return 'absent';
  const folder = stat(dirname(path));
  if (!folder) return 'absent';
  const refuse = (why: string) => new KeywardError('FORBIDDEN', `The Keyward socket at ${path} ${why}: not used (someone may be trying to collect tokens). Remove it, or ask your administrator.`);
  if (!socket.isSocket()) throw refuse('is not a socket');
  if (socket.uid !== uid) throw refuse(`belongs to another user (uid ${socket.uid})`);
  if (!folder.isDirectory() || folder.uid !== uid) throw refuse(`is in a folder another user owns (uid ${folder.uid})`);
  if ((folder.mode & 0o077) !== 0) throw refuse('is in a folder other users may enter');
  return 'ok';
}

/** A client for the app serving the vault file `vaultPath` (every request naming it), or null when no app does. */
export function connectVaultApp(vaultPath: string, token: string): Promise<LocalApiClient | null> {
  return connectLocalApi(localApiSocketPath(vaultPath), token, resolve(vaultPath));
}

/**
 * A client for the app serving `path`, or null when no app does (no socket,
 * or one left by a process that ended). With `vault` (the file the caller
 * means), every request names it, and an app serving another file refuses.
 */
export async function connectLocalApi(path: string, token: string, vault?: string, { verifyServer = process.platform === 'win32' }: ConnectOptions = {}): Promise<LocalApiClient | null> {
  if ((await checkSocketOwner(path)) === 'absent') return null;
  const socket = await new Promise<Socket | null>((resolve) => {
    const s = connect(path);
    s.once('connect', () => resolve(s));
    s.once('error', () => resolve(null));
  });
  if (!socket) return null;
  socket.setEncoding('utf8');
  let nextId = 1;
  let buffered = '';
  // Where the search for the end of the line goes on: a long answer arrives in many chunks, each looked at once.
  let scanned = 0;
  const waiting = new Map<number, { resolve: (a: LocalApiAnswer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  const failAll = (err: Error) => {
    for (const w of waiting.values()) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    waiting.clear();
  };
  socket.on('data', (chunk: string) => {
    // (UTF-16 units: at most one per byte of UTF-8.) Checked before joining: past V8's longest string, joining throws.
    if (buffered.length + chunk.length > MAX_ANSWER_BYTES) {
      buffered = '';
      socket.destroy();
      return failAll(new KeywardError('INTERNAL', 'The app answered more than the local API allows.'));
    }
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n', scanned)) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      scanned = 0;
      try {
        const answer = JSON.parse(line) as LocalApiAnswer;
        const w = waiting.get(answer.id);
        if (!w) continue;
        waiting.delete(answer.id);
        clearTimeout(w.timer);
        w.resolve(answer);
      } catch {
        failAll(new KeywardError('INTERNAL', 'The app answered something that is not the local API.'));
      }
    }
    scanned = buffered.length;
  });
  const closedError = () => new KeywardError('BUSY', 'The Keyward app closed the connection (it quit or restarted, or it was left idle). Try again.');
  let closed = false;
  socket.on('close', () => {
    closed = true;
    failAll(closedError());
  });
  socket.on('error', () => undefined);
  /** One request line (its id added) and its answer. */
  const exchange = (request: Record<string, unknown>, timeoutMs: number): Promise<LocalApiAnswer> => {
    const id = nextId++;
    // Asked on a connection the app closed: said at once (no answer will come).
    if (closed) return Promise.reject(closedError());
    return new Promise<LocalApiAnswer>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new KeywardError('BUSY', 'The Keyward app did not answer in time (an approval left waiting?).'));
      }, timeoutMs);
      waiting.set(id, { resolve, reject, timer });
      socket.write(`${JSON.stringify({ v: LOCAL_API_VERSION, id, ...request })}\n`);
    });
  };
  const call = async (withToken: string, method: LocalApiMethod, params: Record<string, unknown> = {}, { timeoutMs = ANSWER_TIMEOUT_MS }: CallOptions = {}): Promise<unknown> => {
    const answer = await exchange({ token: withToken, method, params, client: { pid: process.pid, argv: process.argv.slice(1, 20) }, ...(vault ? { vault } : {}) }, timeoutMs);
    if (answer.ok) return answer.result;
    const code = (ERROR_CODES as readonly string[]).includes(answer.error.code) ? (answer.error.code as ErrorCode) : 'INTERNAL';
    throw new KeywardError(code, answer.error.message);
  };
  if (verifyServer) await proveServer(path, socket, exchange);
  return {
    call: (method, params, options) => call(token, method, params, options),
    callWith: call,
    close() {
      socket.end();
      socket.destroy();
    },
  };
}

/**
 * Before any token goes out: the server answers a fresh challenge with the
 * HMAC under this user's server key, which only a process that can read the
 * user's files knows. Anything else closes the connection, FORBIDDEN.
 */
async function proveServer(path: string, socket: Socket, exchange: (request: Record<string, unknown>, timeoutMs: number) => Promise<LocalApiAnswer>): Promise<void> {
  // Loaded only here: `keyward get` through the app on Unix never pays for node:crypto.
  const { isProof, newChallenge, readServerKey, serverKeyPath } = await import('../core/api/server-proof.js');
  const refuse = (why: string) => {
    socket.destroy();
    return new KeywardError('FORBIDDEN', `The process serving ${path} ${why}: nothing was sent to it (someone may be trying to collect tokens). Quit and restart the Keyward app.`);
  };
  const key = readServerKey(serverKeyPath(path));
  if (!key) throw refuse('cannot be your Keyward app: no server key of yours is there');
  const challenge = newChallenge();
  let answer: LocalApiAnswer;
  try {
    answer = await exchange({ method: SERVER_PROOF_METHOD, params: { challenge } }, PROOF_TIMEOUT_MS);
  } catch {
    throw refuse('did not prove it is your Keyward app');
  }
  if (!answer.ok || !isProof(key, challenge, (answer.result as { proof?: unknown } | null)?.proof)) throw refuse('could not prove it is your Keyward app');
}
