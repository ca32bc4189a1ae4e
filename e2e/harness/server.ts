/**
 * The harness server: the built renderer plus a loopback bridge that carries
 * the same typed contract as the Electron preload to the same app controller
 * and dispatcher that Electron main uses. Listens on 127.0.0.1 only; every
 * bridge request must carry the random token, come from our own origin and
 * name our own host (no DNS rebinding).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CSP } from '../../shared/csp.js';
import type { KeywardEvent } from '../../shared/ipc/contract.js';
import { contentTypeOf, staticFileFor } from '../../electron/app/static-files.js';
import type { Dispatch } from '../../electron/ipc/dispatcher.js';

const MAX_BODY_BYTES = 2 * 1024 * 1024;
/**
 * Answers kept for replayed calls (the bridge retries a call whose connection dropped):
 * a few, briefly — an answer may carry a revealed value, so none outlives the retry window.
 */
const REPLAY_CACHE_SIZE = 100;
const REPLAY_KEEP_MS = 15_000;

export interface HarnessServer {
  url: string;
  origin: string;
  token: string;
  server: Server;
  publish(event: KeywardEvent): void;
  close(): Promise<void>;
}

export async function startServer(options: {
  port: number;
  rendererDir: string;
  bridgeScript: string;
  dispatch: (origin: string) => Dispatch;
}): Promise<HarnessServer> {
  const token = randomBytes(32).toString('hex');
  const tokenBytes = Buffer.from(token);
  const streams = new Set<ServerResponse>();
  let origin = '';
  let dispatch: Dispatch = async () => ({ ok: false, error: { code: 'INTERNAL', message: 'The harness is starting.' } });
  // Call id → its answer (a promise, so a replay that arrives while the first is running waits for it).
  const answers = new Map<string, Promise<string>>();
  const answerOnce = (callId: string | undefined, run: () => Promise<string>): Promise<string> => {
    if (!callId) return run();
    const known = answers.get(callId);
    if (known) return known;
    const answer = run();
    answers.set(callId, answer);
    setTimeout(() => answers.delete(callId), REPLAY_KEEP_MS).unref();
    if (answers.size > REPLAY_CACHE_SIZE) answers.delete(answers.keys().next().value!);
    return answer;
  };

  const authorised = (req: IncomingMessage): boolean => {
    const given = Buffer.from(String(req.headers['x-keyward-token'] ?? ''));
    const host = req.headers.host;
    const from = req.headers.origin;
    return (
      given.length === tokenBytes.length &&
      timingSafeEqual(given, tokenBytes) &&
      `http://${host}` === origin &&
      (from === undefined || from === origin)
    );
  };

  const serveFile = async (res: ServerResponse, pathname: string) => {
    if (pathname === '/__bridge/bridge.js') {
      res.writeHead(200, { 'content-type': contentTypeOf(options.bridgeScript), 'cache-control': 'no-store' });
      return res.end(await readFile(options.bridgeScript));
    }
    const target = staticFileFor(options.rendererDir, pathname);
    if (!target) return notFound(res);
    let body: Buffer;
    try {
      body = await readFile(target.file);
    } catch {
      return notFound(res);
    }
    if (target.relative === 'index.html') {
      // The bridge takes the preload's place: a classic script, run before the app's module script.
      body = Buffer.from(body.toString('utf8').replace('<head>', '<head><script src="/__bridge/bridge.js"></script>'));
    }
    res.writeHead(200, {
      'content-type': contentTypeOf(target.file),
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    res.end(body);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (`http://${req.headers.host}` !== origin) return notFound(res);
      if (url.pathname === '/__bridge/call' && req.method === 'POST') {
        if (!authorised(req)) return refuse(res);
        const raw = await readBody(req);
        if (raw === null) return refuse(res, 413);
        const callId = req.headers['x-keyward-call-id'];
        const answer = await answerOnce(typeof callId === 'string' && callId.length <= 64 ? callId : undefined, async () => {
          let parsed: { method?: unknown; request?: unknown };
          try {
            parsed = JSON.parse(raw) as typeof parsed;
          } catch {
            parsed = {};
          }
          return JSON.stringify(await dispatch({ url: `${origin}/`, isMainFrame: true }, parsed.method, parsed.request));
        });
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        return res.end(answer);
      }
      if (url.pathname === '/__bridge/events' && req.method === 'GET') {
        if (!authorised(req)) return refuse(res);
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      if (req.method !== 'GET') return refuse(res, 405);
      return serveFile(res, url.pathname);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  // Node closes a keep-alive connection after 5 idle seconds; Chromium keeps reusing an idle
  // connection for minutes. A call sent just as Node closed its socket was lost ("Lost the
  // connection to the Keyward harness"), typically the burst of calls after a CLI save woke
  // an idle page. The page holds few connections, all on loopback: keep them open.
  server.keepAliveTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  origin = `http://127.0.0.1:${port}`;
  dispatch = options.dispatch(origin);

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    server,
    publish(event) {
      const line = `data: ${JSON.stringify(event)}\n\n`;
      for (const s of streams) s.write(line);
    },
    async close() {
      for (const s of streams) s.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function notFound(res: ServerResponse) {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('Not found');
}

function refuse(res: ServerResponse, status = 403) {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end('Refused');
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
