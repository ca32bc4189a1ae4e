/**
 * `keyward mcp` (issue 13; docs/mcp.md), driven by the MCP SDK's own client
 * over stdio against the built CLI: every tool, refusals by role, scope and
 * command, wrong and revoked tokens, never the master password, and resource
 * notifications pushed after a change made by another process (the CLI).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { NewGrant } from '../../shared/grants.js';
import { cliEnv, CliVault } from './helpers/cli.js';
import { testDeps } from './helpers/builders.js';
import { openCore } from '../core/composition.js';
import { LocalApi } from '../core/api/local-api.js';
import { localApiSocketPath } from '../core/api/socket-path.js';
import { systemClock } from '../core/ports/clock.js';
import { serveLocalApi } from '../app/local-api-server.js';
import { builtCli } from './helpers/paths.js';

const STRIPE = 'sk_live_McpTest0123456789abcdef';
const BANK = 'bank-Mcp-Secret-0123456789';

describe('keyward mcp, with the SDK’s client over stdio', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-mcp-'));
  const clients: Client[] = [];
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = new CliVault(dir);
  let ready: Promise<void> | null = null;
  const setup = () =>
    (ready ??= (async () => {
      await cli.init();
      await cli.add('stripe-prod', STRIPE, 'api_key', ['--provider', 'Stripe', '--tag', 'production']);
      await cli.add('bank', BANK, 'secret');
    })());
  const grant = async (name: string, ...args: string[]) => (await cli.json<NewGrant>(['grant', 'add', name, ...args])).token;

  async function connect(token: string | null, extraEnv: Record<string, string> = {}): Promise<Client> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [builtCli(), '--vault', cli.path, 'mcp'],
      env: cliEnv({ ...(token ? { KEYWARD_TOKEN: token } : {}), ...extraEnv }) as Record<string, string>,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'keyward-test', version: '1.0.0' });
    clients.push(client);
    await client.connect(transport);
    return client;
  }
  const call = async (client: Client, name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;
  const data = <T>(r: CallToolResult): T => JSON.parse(text(r)) as T;
  const resource = async <T>(client: Client, uri: string): Promise<T> => JSON.parse(((await client.readResource({ uri })).contents[0] as { text: string }).text) as T;

  it('offers its tools with honest annotations, and a viewer lists but never reads', async () => {
    await setup();
    const client = await connect(await grant('viewer', '--role', 'viewer'));
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(['due_rotations', 'get_alerts', 'get_credential_value', 'list_credentials', 'open_incidents', 'recent_audit', 'run_with_secrets', 'vault_health']);
    expect(byName.list_credentials!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(byName.run_with_secrets!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, openWorldHint: true });
    expect(byName.get_credential_value!.inputSchema.required).toEqual(['name']);

    const listed = data<{ name: string }[]>(await call(client, 'list_credentials'));
    expect(listed.map((c) => c.name).sort()).toEqual(['bank', 'stripe-prod']);
    expect(JSON.stringify(listed)).not.toContain(STRIPE);
    expect(data<{ name: string }[]>(await call(client, 'list_credentials', { query: 'stripe' })).map((c) => c.name)).toEqual(['stripe-prod']);
    expect(data<{ credentials: number }>(await call(client, 'vault_health')).credentials).toBe(2);
    expect(Array.isArray(data(await call(client, 'due_rotations', { within_days: 365 })))).toBe(true);
    expect(Array.isArray(data(await call(client, 'get_alerts')))).toBe(true);

    const value = await call(client, 'get_credential_value', { name: 'stripe-prod' });
    expect([value.isError, text(value)]).toEqual([true, expect.stringMatching(/^FORBIDDEN: .*viewer.*may not receive values/)]);
    const run = await call(client, 'run_with_secrets', { command: ['sh', '-c', 'echo $K'], env: { K: 'stripe-prod' } });
    expect([run.isError, text(run)]).toEqual([true, expect.stringMatching(/^FORBIDDEN/)]);
    // Bad input is answered by the SDK's schema check, not by a crash.
    const bad = await call(client, 'get_credential_value', {});
    expect(bad.isError).toBe(true);
  });

  it('a reader gets values in scope only; a runner runs allowed commands, its output masked', async () => {
    await setup();
    const reader = await connect(await grant('reader', '--role', 'reader', '--scope', 'tag:production'));
    expect(text(await call(reader, 'get_credential_value', { name: 'stripe-prod' }))).toBe(STRIPE);
    const out = await call(reader, 'get_credential_value', { name: 'bank' });
    expect([out.isError, text(out)]).toEqual([true, expect.stringMatching(/^NOT_FOUND: "bank" names no credential the grant "reader" covers/)]);

    const program = join(dir, 'print.mjs');
    writeFileSync(program, "process.stdout.write('key=' + process.env.KEY + '\\n'); process.stderr.write(Object.keys(process.env).filter((k) => k.startsWith('KEYWARD_')).join(',') + '\\n'); process.exit(5);\n");
    const runner = await connect(await grant('runner', '--role', 'runner', '--allow-command', `${process.execPath} ${program}`), { KEYWARD_PASSWORD: 'never-used' });
    const ran = data<{ exitCode: number; stdout: string; stderr: string }>(await call(runner, 'run_with_secrets', { command: [process.execPath, program], env: { KEY: 'stripe-prod' } }));
    expect(ran).toMatchObject({ exitCode: 5, stdout: 'key=<concealed:stripe-prod>\n', stderr: '\n' });
    const other = await call(runner, 'run_with_secrets', { command: ['sh', '-c', 'echo $KEY'], env: { KEY: 'stripe-prod' } });
    expect([other.isError, text(other)]).toEqual([true, expect.stringMatching(/^FORBIDDEN: .*may run only commands starting with/)]);
    expect((await call(runner, 'get_credential_value', { name: 'stripe-prod' })).isError).toBe(true);

    const unsafe = await call(runner, 'run_with_secrets', { command: [process.execPath, program], env: { NODE_OPTIONS: 'stripe-prod' } });
    expect([unsafe.isError, text(unsafe)]).toEqual([true, expect.stringMatching(/^BAD_REQUEST: NODE_OPTIONS decides what a program loads or runs/)]);
    // A runner allowed no particular command runs nothing for a model: "anything" would include keyward itself.
    const open = await connect(await grant('open-runner', '--role', 'runner'));
    const any = await call(open, 'run_with_secrets', { command: ['sh', '-c', 'echo hi'], env: {} });
    expect([any.isError, text(any)]).toEqual([true, expect.stringMatching(/^FORBIDDEN: .*allows no particular command/)]);

    const records = await cli.json<{ actor: string; action: string; credential?: string }[]>(['audit', '--actor', 'grant:runner']);
    expect(records.map((r) => [r.action, r.credential ?? null])).toEqual(expect.arrayContaining([['reveal.run', 'stripe-prod']]));
  });

  it('refuses to start without a token (the master password is never used), and with a wrong one', async () => {
    await setup();
    const without = await cli.run(['mcp']);
    expect(without.code).toBe(3);
    expect(without.stderr).toMatch(/only with a grant’s token in KEYWARD_TOKEN/);
    const wrong = await cli.run(['mcp'], { env: { KEYWARD_TOKEN: 'kwg_' + 'A'.repeat(59) } });
    expect(wrong.code).toBe(3);
  });

  it('pushes resource updates after a change made by the CLI, and says when the grant ends', async () => {
    await setup();
    const client = await connect(await grant('watcher', '--role', 'viewer'));
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(['keyward://alerts', 'keyward://due', 'keyward://health']);
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updates.push(n.params.uri);
    });
    await client.subscribeResource({ uri: 'keyward://health' });
    await client.subscribeResource({ uri: 'keyward://alerts' });
    const before = await resource<{ credentials: number }>(client, 'keyward://health');

    await cli.add('new-key', 'another-secret-value-123456', 'secret');
    await expect.poll(() => updates, { timeout: 10_000 }).toContain('keyward://health');
    const after = await resource<{ credentials: number }>(client, 'keyward://health');
    expect(after.credentials).toBe(before.credentials + 1);

    await cli.expectOk(['grant', 'revoke', 'watcher']);
    await expect.poll(() => updates, { timeout: 10_000 }).toContain('keyward://alerts');
    const alerts = await resource<{ kind: string }[]>(client, 'keyward://alerts');
    expect(alerts[0]!.kind).toBe('grant-ended');
    const refused = await call(client, 'list_credentials');
    expect([refused.isError, text(refused)]).toEqual([true, expect.stringMatching(/^AUTH_FAILED: .*revoked/)]);
  });

  it('recent_audit and open_incidents come from the running app (and say so without it); an ask grant’s value waits for approval there', async () => {
    await setup();
    const token = await grant('auditor', '--role', 'reader', '--ask', '--scope', 'tag:production');
    const runtime = join(dir, 'run');
    const without = await connect(token, { KEYWARD_RUNTIME_DIR: runtime });
    const refused = await call(without, 'recent_audit');
    expect([refused.isError, text(refused)]).toEqual([true, expect.stringMatching(/^VAULT_LOCKED: This needs the Keyward app running/)]);
    const noApp = await call(without, 'get_credential_value', { name: 'stripe-prod' });
    expect(noApp.isError).toBe(true);

    // The app, as it serves the vault (the same application layer, in this process).
    const core = openCore({ actor: 'test', deps: testDeps({ stateDir: null }) });
    const lifecycle = core.vault(cli.path);
    const vault = await lifecycle.unlock({ password: cli.password });
    const asked: string[][] = [];
    const api = new LocalApi({ lifecycle: () => lifecycle, vault: () => vault, clock: systemClock, approve: async (r) => (asked.push(r.credentials), true) });
    const served = await serveLocalApi(api, localApiSocketPath(cli.path, { KEYWARD_RUNTIME_DIR: runtime }));
    try {
      const client = await connect(token, { KEYWARD_RUNTIME_DIR: runtime });
      expect(text(await call(client, 'get_credential_value', { name: 'stripe-prod' }))).toBe(STRIPE);
      expect(asked).toEqual([['stripe-prod']]);
      const records = data<{ actor: string; action: string; credential?: string }[]>(await call(client, 'recent_audit', { limit: 20 }));
      expect(records.length).toBeGreaterThan(0);
      expect(records.every((r) => r.actor === 'grant:auditor' || r.credential === 'stripe-prod')).toBe(true);
      expect(records.some((r) => r.actor === 'grant:auditor' && r.action === 'reveal')).toBe(true);
      expect(data(await call(client, 'open_incidents'))).toEqual([]);
    } finally {
      await served.close();
      await vault.lock('command-end');
    }
  });
});
