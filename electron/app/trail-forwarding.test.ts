/**
 * The app forwards the audit trail while the vault is open (issue 12: "the
 * app can forward continuously"), to a real TCP receiver on 127.0.0.1, with
 * the cursor it shares with the CLI: nothing twice across locks and unlocks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeywardEvent } from '../../shared/ipc/contract.js';
import { realVaultDeps } from '../core/composition.js';
import { MemoryKeychain } from '../core/keychain/keychain.js';
import { AppController } from './app-controller.js';

const PASSWORD = 'Test-Master-Password-1';

/** A syslog receiver over TCP with octet-counting framing (RFC 6587 §3.4.1): the messages it got. */
async function receiver(): Promise<{ server: Server; port: number; messages: string[] }> {
  const messages: string[] = [];
  const server = createServer((socket) => {
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const space = buffer.indexOf(0x20);
        if (space < 0) return;
        const length = Number(buffer.subarray(0, space).toString());
        if (buffer.length < space + 1 + length) return;
        messages.push(buffer.subarray(space + 1, space + 1 + length).toString('utf8'));
        buffer = buffer.subarray(space + 1 + length);
      }
    });
    socket.on('end', () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, messages };
}

const seqOf = (message: string) => (JSON.parse(message.slice(message.indexOf('{'))) as { event: { sequence: number } }).event.sequence;

let dir: string;
let events: KeywardEvent[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyward-forward-'));
  events = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('the app forwards the audit trail while the vault is open', () => {
  it('needs the password to set a destination, sends every record once across lock and unlock, and stops when locked', async () => {
    const r = await receiver();
    try {
      const app = new AppController({ vaultPath: join(dir, 'vault.keyward'), deps: realVaultDeps({ useKeychain: false, keychain: new MemoryKeychain(), stateDir: join(dir, 'state') }), clipboard: { writeSecret: async () => undefined, readText: async () => '', clear: async () => undefined }, actor: 'test', emit: (e) => events.push(e) });
      await app.create(PASSWORD, false, 100_000);
      const destination = { syslog: `127.0.0.1:${r.port}`, protocol: 'tcp' as const, withNames: false };
      await expect(app.updateSettings({ auditForward: destination })).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'password' } });
      await expect(app.updateSettings({ auditForward: { ...destination, syslog: 'no port here' } }, PASSWORD)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      expect((await app.updateSettings({ auditForward: destination }, PASSWORD)).auditForward).toEqual(destination);
      await until(() => r.messages.length > 0, 'the first records');
      expect(app.forwarding.status).toMatchObject({ destination: `127.0.0.1:${r.port}/tcp`, state: 'sending' });
      await app.credentials.add({ name: 'stripe-prod', type: 'api_key' }, { value: 'sk_live_0123456789abcdefghijklmnopq' });
      await until(() => r.messages.some((m) => m.includes('"add"')), 'the add');
      await app.lock('user');
      expect(app.forwarding.status.state).toBe('off');
      const beforeUnlock = r.messages.length;
      await app.unlock({ method: 'password', password: PASSWORD });
      await until(() => r.messages.length > beforeUnlock + 1, 'the records of the lock and unlock');
      const seqs = r.messages.map(seqOf);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(seqs[0]).toBe(0);
      // Never a value, never a name (withNames: false).
      expect(r.messages.join('\n')).not.toMatch(/sk_live_|stripe-prod/);
      // Turning it off needs nothing, and stops it.
      expect((await app.updateSettings({ auditForward: null })).auditForward).toBeNull();
      await until(() => app.forwarding.status.state === 'off', 'forwarding to stop');
      await app.shutdown();
    } finally {
      r.server.close();
    }
  });
});
