import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP } from '../../shared/csp.js';
import { startServer, type HarnessServer } from './server.js';

let dir: string;
let server: HarnessServer;
const seen: Array<{ url: string; method: unknown }> = [];
let counted = 0;

function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const url = new URL(server.origin);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: { host: url.host, ...options.headers } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const call = (headers: Record<string, string>) =>
  send('/__bridge/call', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ method: 'app.state', request: {} }) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyward-harness-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>K</title></head><body></body></html>');
  writeFileSync(join(dir, 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'keyward-outside.txt'), 'outside');
  writeFileSync(join(dir, 'bridge.js'), '/* bridge */');
  server = await startServer({
    port: 0,
    rendererDir: dir,
    bridgeScript: join(dir, 'bridge.js'),
    dispatch: () => async (sender, method) => {
      seen.push({ url: sender.url, method });
      if (method === 'test.count') return { ok: true, value: ++counted };
      return { ok: true, value: 'dispatched' };
    },
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('harness server', () => {
  it('listens on 127.0.0.1 only and puts the token in the URL fragment', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toBe(`${server.origin}/#token=${server.token}`);
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serves the renderer with the app CSP and the bridge injected before the app scripts', async () => {
    const page = await send('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CSP);
    expect(page.body).toContain('<head><script src="/__bridge/bridge.js"></script>');
    expect((await send('/app.js')).status).toBe(200);
  });

  it('does not serve files outside the renderer folder', async () => {
    expect((await send('/../keyward-outside.txt')).status).toBe(404);
    expect((await send('/%2e%2e/keyward-outside.txt')).status).toBe(404);
  });

  it('carries a call with the right token, host and origin to the dispatcher as the app page', async () => {
    const before = seen.length;
    const ok = await call({ 'x-keyward-token': server.token, origin: server.origin });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ok: true, value: 'dispatched' });
    expect(seen.slice(before)).toEqual([{ url: `${server.origin}/`, method: 'app.state' }]);
  });

  it('refuses calls without the token, with a wrong token, from another origin or for another host', async () => {
    const before = seen.length;
    expect((await call({})).status).toBe(403);
    expect((await call({ 'x-keyward-token': 'f'.repeat(64) })).status).toBe(403);
    expect((await call({ 'x-keyward-token': server.token.slice(0, 10) })).status).toBe(403);
    expect((await call({ 'x-keyward-token': server.token, origin: 'http://evil.example' })).status).toBe(403);
    // DNS rebinding: a page on another name that resolves to 127.0.0.1.
    expect((await call({ 'x-keyward-token': server.token, host: 'evil.example:80' })).status).toBe(404);
    expect((await send('/__bridge/events', { headers: { 'x-keyward-token': 'nope' } })).status).toBe(403);
    expect(seen.length).toBe(before);
  });

  it('answers a call replayed with the same call id from the first answer: a retried write runs once', async () => {
    const headers = { 'x-keyward-token': server.token, origin: server.origin, 'content-type': 'application/json', 'x-keyward-call-id': 'call-1' };
    const body = JSON.stringify({ method: 'test.count', request: {} });
    const first = await send('/__bridge/call', { method: 'POST', headers, body });
    const replay = await send('/__bridge/call', { method: 'POST', headers, body });
    const fresh = await send('/__bridge/call', { method: 'POST', headers: { ...headers, 'x-keyward-call-id': 'call-2' }, body });
    expect(JSON.parse(first.body)).toEqual({ ok: true, value: 1 });
    expect(JSON.parse(replay.body)).toEqual({ ok: true, value: 1 });
    expect(JSON.parse(fresh.body)).toEqual({ ok: true, value: 2 });
  });

  it('keeps an idle keep-alive connection open, so a call sent on it is never dropped by the server closing it', async () => {
    const url = new URL(server.origin);
    const socket = connect(Number(url.port), url.hostname);
    const responses: string[] = [];
    let closed = false;
    socket.on('data', (d: Buffer) => responses.push(d.toString()));
    socket.on('close', () => (closed = true));
    const get = `GET /app.js HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n\r\n`;
    socket.write(get);
    await expect.poll(() => responses.join('')).toContain('console.log(1)');
    // Past the moment Node closes an idle keep-alive socket by default (5 s + its 1 s grace),
    // while Chromium still counts it as reusable.
    await new Promise((r) => setTimeout(r, 7_000));
    expect(closed).toBe(false);
    socket.destroy();
  }, 12_000);
});
