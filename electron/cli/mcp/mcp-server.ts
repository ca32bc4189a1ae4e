/**
 * `keyward mcp`: the Model Context Protocol over stdio (docs/mcp.md), with
 * the official SDK, for one grant's token and nothing else — never the master
 * password, even when one is in the environment. Every tool checks the
 * grant's role, scope and expiry at each call (grant-access.ts) and is
 * recorded under the grant's name. Values leave only through
 * get_credential_value (reader and up) and, into a child's environment only,
 * run_with_secrets (runner and up, allowed commands only, output masked).
 *
 * Alerts, health and due rotations are also resources that clients may
 * subscribe to: when the grant's file changes (any save of the vault that
 * touches what the grant covers) or time moves a due date, subscribers get
 * notifications/resources/updated.
 */
import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { locate, readReferences, grantSource } from '../../core/env/resolve.js';
import { checkVariableName, parseReference } from '../../core/env/references.js';
import { MIN_MASKED_BYTES, OutputMasker } from '../../core/env/masker.js';
import { KeywardError, toErrorInfo } from '../../core/errors.js';
import type { GrantAccess, GrantCredential } from '../../core/grants/grant-access.js';
import { grantAlerts, grantDue, grantHealth } from '../../core/grants/grant-views.js';
import { openCore, realVaultDeps } from '../../core/composition.js';
import { systemClock, type Clock } from '../../core/ports/clock.js';
import { nodeFolderWatch, type FolderWatch } from '../../core/ports/folder-watch.js';
import type { VaultLifecycle } from '../../core/service/vault-lifecycle.js';
import { grantFilePath } from '../../core/grants/grant-sync.js';
import { localApiSocketPath } from '../../core/api/socket-path.js';
import { apiSource } from '../api-source.js';
import { connectLocalApi, type LocalApiClient } from '../local-api-client.js';

export const MCP_RESOURCES = {
  alerts: 'keyward://alerts',
  health: 'keyward://health',
  due: 'keyward://due',
} as const;

/** How long a command run for a client may take, how much of its output is kept, and how many run at once. */
const RUN_LIMITS = { defaultSeconds: 120, maxSeconds: 3600, outputBytes: 1 << 20, concurrent: 4 };

/**
 * Variables a command's loader, shell or interpreter reads as code or as where
 * to find code: set from a credential, they would run something other than the
 * allowed command.
 */
const UNSAFE_VARIABLE = /^(PATH|LD_.*|DYLD_.*|NODE_OPTIONS|NODE_PATH|PYTHON(PATH|STARTUP|HOME)|PERL5(OPT|LIB)|RUBY(OPT|LIB)|BASH_ENV|ENV|SHELLOPTS|IFS|GIT_.*|npm_config_.*|NPM_CONFIG_.*)$/;

export interface McpServerOptions {
  lifecycle: VaultLifecycle;
  token: string;
  clock: Clock;
  version: string;
  folderWatch?: FolderWatch;
  /** How often due dates are looked at again for subscribers (ms). */
  recheckMs?: number;
  /** The running app's local API socket (tests); the vault's usual one otherwise. */
  socketPath?: string;
}

const json = (data: unknown): CallToolResult => ({ content: [{ type: 'text', text: JSON.stringify(data, null, 2) }] });

/** A refusal as the tool's answer: its code and a message a person can act on, never a stack. */
function refusal(err: unknown): CallToolResult {
  const info = toErrorInfo(err);
  return { isError: true, content: [{ type: 'text', text: `${info.code}: ${info.message}` }] };
}

function metadataOf(c: GrantCredential) {
  return { name: c.name, type: c.type, provider: c.provider, description: c.description, tags: c.tags, fields: c.fields, active: c.active, createdAt: c.createdAt, updatedAt: c.updatedAt, lastRotatedAt: c.lastRotatedAt, expiresAt: c.expiresAt, version: c.version };
}

/** Builds the server over a grant (opened again whenever its file changes). The caller connects it. */
export async function keywardMcpServer(options: McpServerOptions): Promise<{ server: McpServer; close(): void }> {
  const { lifecycle, token, clock } = options;
  let access: GrantAccess | null = await lifecycle.openGrant(token);
  let ended: KeywardError | null = null;
  const grant = async (): Promise<GrantAccess> => {
    // Every call looks at the grant's file: a revocation, a suspension or a change is seen even where watching fails.
    if ((await fileStamp()) !== stamp) await reload();
    if (access) return access;
    throw ended ?? new KeywardError('AUTH_FAILED', 'The grant no longer opens anything.');
  };
  let running = 0;
  /** The process groups of commands running now: ended with the server. */
  const children = new Set<number>();
  const tool = <A>(work: (args: A) => Promise<CallToolResult>) => async (args: A): Promise<CallToolResult> => {
    try {
      return await work(args);
    } catch (err) {
      return refusal(err);
    }
  };

  const server = new McpServer({ name: 'keyward', version: options.version }, { capabilities: { resources: { subscribe: true, listChanged: true } }, instructions: 'Keyward: the credentials this grant covers — metadata, health, due rotations and alerts; values only where the grant allows.' });

  server.registerTool(
    'list_credentials',
    {
      title: 'List credentials',
      description: 'The credentials this grant covers: names, types, providers, tags, non-secret fields and dates. Never a value.',
      inputSchema: { query: z.string().max(200).optional().describe('Only credentials whose name, provider, description or a tag contains this (any case)') },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    tool(async ({ query }: { query?: string }) => {
      const all = await (await grant()).credentials();
      const q = query?.toLowerCase();
      const hit = (c: GrantCredential) => !q || [c.name, c.provider, c.description, ...c.tags].some((t) => t.toLowerCase().includes(q));
      return json(all.filter(hit).map(metadataOf));
    }),
  );

  const viewTool = (name: string, title: string, description: string, view: (g: GrantAccess, now: Date, args: { within_days?: number }) => unknown, extra: Record<string, z.ZodType> = {}) =>
    server.registerTool(
      name,
      { title, description, inputSchema: extra, annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } },
      tool(async (args: { within_days?: number }) => {
        const g = await grant();
        await g.check('metadata', name);
        await g.record(name);
        return json(view(g, clock.now(), args));
      }),
    );
  viewTool('vault_health', 'Vault health', 'A health summary of the credentials in scope: overdue and soon-due rotations, compromised, expired and weak ones.', (g, now) => grantHealth(g.peek(), now));
  viewTool('due_rotations', 'Due rotations', 'Credentials in scope due for rotation within N days (30 by default), or overdue, soonest first.', (g, now, a) => grantDue(g.peek(), now, a.within_days ?? 30), {
    within_days: z.number().int().min(0).max(3650).optional().describe('How far ahead to look, in days'),
  });
  /** What only the running app can answer (the trail, incidents, an "ask" grant's approval), by its local API. */
  const viaApp = async <T>(work: (client: LocalApiClient) => Promise<T>): Promise<T> => {
    const client = await connectLocalApi(options.socketPath ?? localApiSocketPath(lifecycle.path), token, resolve(lifecycle.path));
    if (!client) throw new KeywardError('VAULT_LOCKED', 'This needs the Keyward app running (and unlocked): it answers for the vault while open. Start it and ask again.');
    try {
      return await work(client);
    } finally {
      client.close();
    }
  };
  const appTool = (name: string, title: string, description: string, method: 'audit' | 'incidents', extra: Record<string, z.ZodType> = {}) =>
    server.registerTool(
      name,
      { title, description, inputSchema: extra, annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } },
      tool(async (args: { limit?: number }) => {
        await grant();
        return json(await viaApp((c) => c.call(method, method === 'audit' && args.limit ? { limit: args.limit } : {})));
      }),
    );
  appTool('recent_audit', 'Recent audit records', 'The latest audit records by this grant or about credentials in scope (who did what, when, the outcome; never a value). Needs the Keyward app running and unlocked.', 'audit', {
    limit: z.number().int().min(1).max(1000).optional().describe('How many, newest last (100 by default)'),
  });
  appTool('open_incidents', 'Open incidents', 'Open security incidents about this grant or credentials in scope, each explained in words. Needs the Keyward app running and unlocked.', 'incidents');
  viewTool('get_alerts', 'Security alerts', 'What needs attention now: compromised, expired and overdue credentials in scope, and this grant ending. The same as the keyward://alerts resource, for clients that cannot subscribe.', (g, now) => grantAlerts(g.peek(), g.definition, now));

  server.registerTool(
    'get_credential_value',
    {
      title: 'Get a credential’s value',
      description: 'The current secret value of one credential in scope. Only for grants with the reader role or above; recorded in the audit trail.',
      inputSchema: { name: z.string().min(1).max(500).describe('The credential’s name') },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    tool(async ({ name }: { name: string }) => {
      const g = await grant();
      // An "ask" grant's file (or a rule's "grants only with approval") holds no value: the running app asks the user.
      const value = g.definition.ask || g.find(name).approval ? ((await viaApp((c) => c.call('get', { name }))) as { value: string }).value : await g.value(name, 'value');
      return { content: [{ type: 'text', text: value }] };
    }),
  );

  server.registerTool(
    'run_with_secrets',
    {
      title: 'Run a command with secrets',
      description:
        'Runs a command the grant allows, with credentials in scope in its environment (env: VARIABLE → credential name or kw://NAME/FIELD). Its output is returned with every injected value replaced by <concealed:NAME>. Runner role or above; the value itself is never returned.',
      inputSchema: {
        command: z.array(z.string().max(10_000)).min(1).max(1000).describe('The program and its arguments (no shell)'),
        env: z.record(z.string(), z.string().max(1000)).default({}).describe('Variables to set, each to a credential reference'),
        timeout_seconds: z.number().int().min(1).max(RUN_LIMITS.maxSeconds).optional(),
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    tool(async (args: { command: string[]; env: Record<string, string>; timeout_seconds?: number }) => {
      const g = await grant();
      // A model choosing the command line: only what the grant's owner allowed, never "anything".
      if (g.definition.allowCommands.length === 0)
        throw new KeywardError('FORBIDDEN', `The grant "${g.name}" allows no particular command, and run_with_secrets runs only allowed ones: make the grant with --allow-command PREFIX.`);
      await g.checkCommand(args.command);
      if (running >= RUN_LIMITS.concurrent) throw new KeywardError('BUSY', `${RUN_LIMITS.concurrent} commands are running already; wait for one to end.`);
      const wanted = Object.entries(args.env).map(([variable, text]) => {
        checkVariableName(variable);
        if (UNSAFE_VARIABLE.test(variable)) throw new KeywardError('BAD_REQUEST', `${variable} decides what a program loads or runs: it cannot be set from a credential.`);
        return { variable, ref: parseReference(text.startsWith('kw://') ? text : `kw://${encodeURIComponent(text)}`) };
      });
      const source = grantSource(g);
      const located = await locate(source, wanted.map((w) => w.ref));
      // An "ask" grant: the app asks the user once for all of them, for this command.
      const values = g.definition.ask || located.some((r) => g.covers(r.name) && g.find(r.name).approval)
        ? await viaApp(async (c) => readReferences(await apiSource(c), located, 'run', args.command))
        : await readReferences(source, located, 'run');
      const environment: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^KEYWARD_/i.test(k)) environment[k] = v;
      wanted.forEach((w, i) => (environment[w.variable] = values[i]!));
      const masked = located.map((r, i) => ({ name: r.name, value: values[i]! })).filter((m, i) => located[i]!.field === undefined && Buffer.byteLength(m.value) >= MIN_MASKED_BYTES);
      running += 1;
      try {
        return json(await runMasked(args.command, environment, masked, (args.timeout_seconds ?? RUN_LIMITS.defaultSeconds) * 1000, children));
      } finally {
        running -= 1;
      }
    }),
  );

  // Resources: the same views, readable and subscribable.
  const views: Record<string, (g: GrantAccess, now: Date) => unknown> = {
    [MCP_RESOURCES.alerts]: (g, now) => grantAlerts(g.peek(), g.definition, now),
    [MCP_RESOURCES.health]: (g, now) => grantHealth(g.peek(), now),
    [MCP_RESOURCES.due]: (g, now) => grantDue(g.peek(), now),
  };
  const describe: Record<string, [string, string]> = {
    [MCP_RESOURCES.alerts]: ['alerts', 'Security alerts about the credentials this grant covers (pushed when they change)'],
    [MCP_RESOURCES.health]: ['health', 'Health summary of the credentials in scope'],
    [MCP_RESOURCES.due]: ['due', 'Rotations due within 30 days, or overdue'],
  };
  const textOf = (uri: string): string => {
    if (!access || access.expired()) return JSON.stringify(uri === MCP_RESOURCES.alerts ? [{ severity: 'critical', kind: 'grant-ended', message: ended?.message ?? 'This grant no longer opens anything.' }] : null);
    return JSON.stringify(views[uri]!(access, clock.now()), null, 2);
  };
  for (const uri of Object.keys(views))
    server.registerResource(describe[uri]![0], uri, { description: describe[uri]![1], mimeType: 'application/json' }, async () => {
      if (access) await access.record(`mcp.read.${describe[uri]![0]}`).catch(() => undefined);
      await grant().catch(() => undefined);
      return { contents: [{ uri, mimeType: 'application/json', text: textOf(uri) }] };
    });

  // Subscriptions: what each subscriber last saw, to push only real changes.
  const subscribed = new Map<string, string>();
  server.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    const { uri } = request.params;
    if (!(uri in views)) throw new Error(`Keyward has no resource ${uri}.`);
    subscribed.set(uri, textOf(uri));
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
  const pushChanges = async () => {
    for (const [uri, seen] of subscribed) {
      const now = textOf(uri);
      if (now === seen) continue;
      subscribed.set(uri, now);
      await server.server.sendResourceUpdated({ uri }).catch(() => undefined);
    }
  };
  let reloading: Promise<void> = Promise.resolve();
  /** Closes a replaced grant once calls under way with it have had time to finish (it refuses use after that). */
  const retire = (old: GrantAccess | null) => old && setTimeout(() => old.close(), 30_000).unref();
  const reload = () =>
    (reloading = reloading.then(async () => {
      stamp = await fileStamp();
      try {
        const next = await lifecycle.openGrant(token);
        retire(access);
        access = next;
        ended = null;
      } catch (err) {
        access?.close();
        access = null;
        ended = err instanceof KeywardError ? err : new KeywardError('AUTH_FAILED', 'The grant no longer opens anything.');
      }
      await pushChanges();
    }));

  const file = grantFilePath(lifecycle.path, access.id);
  /** What the grant's file looks like on disk (missing: ''), to notice a change without reading it. */
  const fileStamp = async () => {
    const st = await stat(file).catch(() => null);
    return st ? `${st.ino}:${st.mtimeMs}:${st.size}` : '';
  };
  let stamp = await fileStamp();
  let timer: NodeJS.Timeout | null = null;
  const watcher = (options.folderWatch ?? nodeFolderWatch).watch(dirname(file), (name) => {
    if (name !== null && name !== basename(file)) return;
    // A save replaces the file by rename: let the burst of events settle.
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void reload(), 50);
  });
  // Due dates move with time, and a watch can fail silently: look at the file again every so often.
  const recheck = setInterval(() => void fileStamp().then((now) => (now !== stamp ? reload() : pushChanges())), options.recheckMs ?? 60_000);
  recheck.unref();
  return {
    server,
    close() {
      watcher?.close();
      clearInterval(recheck);
      if (timer) clearTimeout(timer);
      access?.close();
      // No command outlives the server with secrets in its environment.
      for (const pid of children) killGroup(pid, 'SIGKILL');
    },
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/**
 * Runs `argv` without a shell, in the server's folder, its output masked and
 * capped, in a process group of its own: at the timeout the whole group ends,
 * so nothing it started keeps the secrets in its environment.
 */
function runMasked(argv: string[], env: Record<string, string>, masked: { name: string; value: string }[], timeoutMs: number, children: Set<number>): Promise<{ exitCode: number; signal: string | null; stdout: string; stderr: string; truncated: boolean; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid !== undefined) children.add(child.pid);
    const out = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    let kept = 0;
    let truncated = false;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid === undefined) return;
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 2000).unref();
    }, timeoutMs);
    for (const stream of ['stdout', 'stderr'] as const) {
      const masker = new OutputMasker(masked);
      const keep = (bytes: Buffer) => {
        const room = RUN_LIMITS.outputBytes - kept;
        if (bytes.length > room) truncated = true;
        const part = bytes.subarray(0, Math.max(0, room));
        kept += part.length;
        out[stream].push(part);
      };
      child[stream].on('data', (chunk: Buffer) => keep(masker.push(chunk)));
      child[stream].on('end', () => keep(masker.end()));
    }
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' ? new KeywardError('NOT_FOUND', `${argv[0]}: no such program.`) : err);
    });
    // When the command ends, what it started in the background ends too (it would hold the secrets, and our pipes).
    child.on('exit', () => child.pid !== undefined && killGroup(child.pid, 'SIGTERM'));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) {
        // Whatever it left behind in its group goes with it.
        killGroup(child.pid, 'SIGKILL');
        children.delete(child.pid);
      }
      resolve({
        exitCode: code ?? 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0),
        signal,
        stdout: Buffer.concat(out.stdout).toString('utf8'),
        stderr: Buffer.concat(out.stderr).toString('utf8'),
        truncated,
        timedOut,
      });
    });
  });
}

/**
 * Serves over stdio until the client goes away. This bundle opens its own core
 * (its error classes are its own), never touching the OS keychain.
 */
export async function serveMcpOverStdio(options: { vaultPath: string; token: string; version: string }): Promise<void> {
  const core = openCore({ actor: 'cli', deps: realVaultDeps({ useKeychain: false }) });
  const { server, close } = await keywardMcpServer({ lifecycle: core.vault(options.vaultPath), token: options.token, clock: systemClock, version: options.version });
  const transport = new StdioServerTransport();
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.on('end', () => resolve());
  });
  close();
  await server.close().catch(() => undefined);
}
