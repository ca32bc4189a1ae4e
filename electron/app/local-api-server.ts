/**
 * Serves the local API (core/api/local-api.ts) on a Unix socket while the app
 * runs (docs/local-api.md): one JSON request per line, one answer per line.
 * The socket lives in a folder only this user can enter (0700, checked, never
 * a symlink) and is itself 0600; a socket left by a process that died is
 * replaced, one another live app serves is not.
 */
import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { MAX_LINE_BYTES } from '../../shared/local-api.js';
import type { LocalApi } from '../core/api/local-api.js';
import { CHALLENGE_PATTERN, loadOrCreateServerKey, proofFor, readServerKey, SERVER_PROOF_METHOD, serverKeyPath } from '../core/api/server-proof.js';

const MAX_CONNECTIONS = 64;
/**
 * Requests one connection may have waiting: they are answered one at a time,
 * so a client that sends thousands at once holds the app's memory, not more
 * of its attention. Past this, each is answered BUSY.
 */
export const MAX_WAITING_REQUESTS = 32;
/**
 * A connection with nothing sent or answered for this long is closed: a
 * client that opens connections and leaves them idle would otherwise keep
 * others out (at most 64 at once). Longer than an approval may wait (2 minutes).
 */
export const IDLE_CONNECTION_MS = 5 * 60_000;
/** Answers a client leaves unread past this close its connection (refusals sent to a client that never reads). */
const MAX_UNREAD_ANSWER_BYTES = 64 * 1024 * 1024;

export interface LocalApiServer {
  path: string;
  close(): Promise<void>;
}

/** The folder made (0700) or checked: this user's, a real folder, entered by no one else. */
async function ownFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a folder`);
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) throw new Error(`${dir} belongs to another user`);
  if ((st.mode & 0o077) !== 0) await chmod(dir, 0o700);
}

/** Whether a process answers on `path` (a live app), rather than a socket file left behind. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** The bounds above, for tests that cannot wait five minutes. */
export interface ServeLimits {
  idleMs?: number;
  maxWaiting?: number;
}

/** One answer line the transport gives itself, without the application layer. */
function answerLine(id: number, outcome: { result: unknown } | { error: { code: string; message: string } }): string {
  return `${JSON.stringify({ v: 1, id, ...('result' in outcome ? { ok: true, result: outcome.result } : { ok: false, error: outcome.error }) })}\n`;
}

/**
 * A client's challenge answered (core/api/server-proof.ts), before any token:
 * the key is read again each time, so a key another app of this user's made
 * anew is the one proved with. Null when the line is not a proof request.
 */
function proofAnswer(request: unknown, keyFile: string): string | null {
  if (typeof request !== 'object' || request === null || (request as { method?: unknown }).method !== SERVER_PROOF_METHOD) return null;
  const { id, params } = request as { id?: unknown; params?: { challenge?: unknown } };
  const answerId = Number.isSafeInteger(id) ? (id as number) : 0;
  const challenge = params?.challenge;
  if (typeof challenge !== 'string' || !CHALLENGE_PATTERN.test(challenge))
    return answerLine(answerId, { error: { code: 'BAD_REQUEST', message: 'server.proof takes params.challenge: 64 lowercase hex digits.' } });
  try {
    const key = readServerKey(keyFile) ?? loadOrCreateServerKey(keyFile);
    return answerLine(answerId, { result: { proof: proofFor(key, challenge) } });
  } catch {
    return answerLine(answerId, { error: { code: 'INTERNAL', message: 'The app could not read its server key.' } });
  }
}

function serveConnection(api: LocalApi, socket: Socket, keyFile: string, { idleMs = IDLE_CONNECTION_MS, maxWaiting = MAX_WAITING_REQUESTS }: ServeLimits): void {
  let buffered = '';
  let queue = Promise.resolve();
  let waiting = 0;
  socket.setEncoding('utf8');
  // Idle means nothing waiting: a request may wait long for its answer (an approval, a rotator's steps).
  const idle = () => socket.setTimeout(idleMs, () => socket.destroy());
  idle();
  const answer = (line: string) => {
    if (socket.destroyed) return;
    socket.write(line);
    if (socket.writableLength > MAX_UNREAD_ANSWER_BYTES) socket.destroy();
  };
  let refused = false;
  socket.on('data', (chunk: string) => {
    if (refused || socket.destroyed) return;
    buffered += chunk;
    if (buffered.length > MAX_LINE_BYTES) {
      // Nothing more is read from this connection (a client streaming without a newline would grow this buffer).
      buffered = '';
      refused = true;
      socket.end(answerLine(0, { error: { code: 'BAD_REQUEST', message: 'A request is one line of at most 1 MiB.' } }));
      return;
    }
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(line);
      } catch {
        /* answered as a bad request below */
      }
      const proof = proofAnswer(parsed, keyFile);
      if (proof) {
        answer(proof);
        continue;
      }
      if (waiting >= maxWaiting) {
        const id = typeof parsed === 'object' && parsed !== null && Number.isSafeInteger((parsed as { id?: unknown }).id) ? (parsed as { id: number }).id : 0;
        answer(answerLine(id, { error: { code: 'BUSY', message: `More than ${maxWaiting} requests are waiting on this connection: send the next once one is answered.` } }));
        continue;
      }
      // One request at a time per connection, answered in order.
      if (waiting++ === 0) socket.setTimeout(0);
      queue = queue
        .then(async () => {
          try {
            answer(`${JSON.stringify(await api.handle(parsed))}\n`);
          } finally {
            if (--waiting === 0 && !socket.destroyed) idle();
          }
        })
        .catch(() => undefined);
    }
  });
  socket.on('error', () => socket.destroy());
}

export async function serveLocalApi(api: LocalApi, path: string, limits: ServeLimits = {}): Promise<LocalApiServer> {
  const unix = process.platform !== 'win32';
  const keyFile = serverKeyPath(path);
  if (unix) {
    await ownFolder(dirname(path));
    const existing = await lstat(path).catch(() => null);
    if (existing) {
      if (await answers(path)) throw new Error(`another Keyward app serves this vault at ${path}`);
      if (!existing.isSocket()) throw new Error(`${path} is not a socket`);
      await unlink(path);
    }
  }
  // Made before the first client asks: one that cannot be made is said now, and the app serves without a local API.
  loadOrCreateServerKey(keyFile);
  const open = new Set<Socket>();
  const server: Server = createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    serveConnection(api, socket, keyFile, limits);
  });
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (unix) await chmod(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Connections end with the app (a waiting client learns it at once).
        for (const socket of open) socket.destroy();
        if (unix) void unlink(path).catch(() => undefined);
      }),
  };
}
