/**
 * `keyward audit forward` (issue 12, SIEM; docs/siem.md): RFC 5424 messages,
 * octet-counted over TCP or one datagram each over UDP, to a REAL rsyslog
 * started here in the foreground on free ports of 127.0.0.1; what was sent
 * where is remembered beside the vault, so each record arrives once, in order,
 * across runs and with --follow. The pure parts (message, framing, cursor
 * logic) are checked first, without rsyslog.
 *
 * rsyslog is required, not optional: without /usr/sbin/rsyslogd these tests
 * fail and say how to install it (.ci/run installs it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecsLine } from '../core/audit/export/ecs-jsonl.js';
import { parseDestination, type SyslogDestination } from '../core/audit/forward/destination.js';
import { cursorMac, ForwardState } from '../core/audit/forward/forward-state.js';
import { AuditForwarder, RECORDS_PER_DELIVERY } from '../core/audit/forward/forwarder.js';
import { octetCounted, printUsAscii, syslogMessage, type SyslogOptions } from '../core/audit/forward/rfc5424.js';
import { linesAfter, type AuditFeed } from '../core/audit/forward/trail-feed.js';
import type { AuditEntry } from '../core/audit/trail-read.js';
import { nodeFileSystem } from '../core/ports/file-system.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { distinctiveSecret } from './helpers/builders.js';
import { cliEnv, CliVault } from './helpers/cli.js';
import { builtCli } from './helpers/paths.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const tempDir = useTempDirs('keyward-forward-', 'all');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const VAULT_ID = '924c53dc-c754-422f-aa6c-8ad53813652b';
const OPTIONS: SyslogOptions = { vaultId: VAULT_ID, productVersion: '0.1.0', withNames: false, hostname: 'build host.example', procId: 4242 };

function entry(seq: number, action: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { seq, at: `2026-12-01T09:00:${String(seq % 60).padStart(2, '0')}.000Z`, device: '5f0e6c1d2b3a4958', actor: 'cli', action, outcome: 'success', ...extra };
}

describe('RFC 5424 messages and their framing (pure)', () => {
  it('PRI is facility 13 (log audit) with a severity from the record; the header is printable ASCII; MSG is the ECS line', () => {
    const unlock = entry(3, 'vault.unlock.password');
    expect(syslogMessage(unlock, OPTIONS)).toBe(`<110>1 2026-12-01T09:00:03.000Z build_host.example keyward 4242 vault.unlock.password - ${ecsLine(unlock, OPTIONS)}`);
    expect(syslogMessage(entry(4, 'vault.unlock.password', { outcome: 'failure', code: 'AUTH_FAILED' }), OPTIONS)).toMatch(/^<108>1 /); // 13×8 + 4 warning
    expect(syslogMessage(entry(5, 'reveal'), OPTIONS)).toMatch(/^<109>1 /); // notice: a value handed out
    expect(syslogMessage(entry(9, 'audit.gap', { outcome: 'failure', code: 'CORRUPTED' }), OPTIONS)).toMatch(/^<106>1 /); // critical
    expect(syslogMessage(entry(10, 'incident.open.sweep'), OPTIONS)).toMatch(/^<107>1 /); // error
  });

  it('MSGID is the action cut to 32 characters; odd host names and times are made safe, or NILVALUE', () => {
    const long = entry(1, 'copy.field.aVeryLongCustomFieldNameIndeed');
    expect(syslogMessage(long, OPTIONS).split(' ')[5]).toBe('copy.field.aVeryLongCustomFieldN');
    expect(printUsAscii('héte\u0000 x', 255)).toBe('h_te__x');
    expect(printUsAscii('', 255)).toBe('-');
    expect(syslogMessage({ ...entry(2, 'list'), at: 'yesterday' }, OPTIONS).split(' ')[1]).toBe('-');
    expect(syslogMessage(entry(2, 'list'), { ...OPTIONS, hostname: '' }).split(' ')[2]).toBe('-');
  });

  it('octet counting counts bytes, not characters', () => {
    expect(octetCounted('é').toString('utf8')).toBe('2 é');
    const message = syslogMessage(entry(1, 'add', { credential: 'naïve', credentialKey: 'ab'.repeat(32) }), { ...OPTIONS, withNames: true });
    const framed = octetCounted(message);
    const space = framed.indexOf(0x20);
    expect(Number(framed.subarray(0, space).toString('ascii'))).toBe(framed.length - space - 1);
  });

  it('HOST:PORT: names, IPv4, bracketed IPv6; anything else refused with an example', () => {
    expect(parseDestination('127.0.0.1:514', 'tcp')).toEqual({ host: '127.0.0.1', port: 514, protocol: 'tcp', key: '127.0.0.1:514/tcp' });
    expect(parseDestination('[::1]:6514', 'udp')).toEqual({ host: '::1', port: 6514, protocol: 'udp', key: '[::1]:6514/udp' });
    expect(parseDestination('logs.example.com:601', 'tcp').key).toBe('logs.example.com:601/tcp');
    for (const bad of ['localhost', '127.0.0.1:0', '127.0.0.1:65536', '[127.0.0.1]:514', '::1:514', 'bad_host:514', 'a b:514', ':514', 'host:port'])
      expect(() => parseDestination(bad, 'tcp'), bad).toThrow(/--syslog takes HOST:PORT .*e\.g\. --syslog 127\.0\.0\.1:514/);
  });

  it('the feed reads only the lines after a record it was given', () => {
    const log = Buffer.from([0, 1, 2, 5].map((seq) => `{"mac":"${'0'.repeat(64)}","seq":${seq}}\n`).join(''));
    expect(linesAfter(log, 1).toString()).toBe(`{"mac":"${'0'.repeat(64)}","seq":2}\n{"mac":"${'0'.repeat(64)}","seq":5}\n`);
    expect(linesAfter(log, 5).length).toBe(0);
    expect(linesAfter(log, -1)).toEqual(log);
    expect(linesAfter(log, 3).toString()).toBe(`{"mac":"${'0'.repeat(64)}","seq":5}\n`);
  });
});

describe('the forwarder: a cursor per destination (pure, with a fake receiver)', () => {
  const destination: SyslogDestination = parseDestination('127.0.0.1:5514', 'tcp');
  const trail = Array.from({ length: 1203 }, (_, seq) => entry(seq, 'list', { at: new Date(Date.UTC(2026, 11, 1) + seq * 60_000).toISOString() }));
  // The feed as the core's: cursors authenticated under a key of the vault's (here a test's own).
  const cursorKey = randomBytes(32);
  // Each record's chain MAC stands in as `chain` + seq; a trail rewritten after a rollback has other ones.
  const feedOf = (records: readonly AuditEntry[], chain = 'r'): AuditFeed => ({
    after: async (seq) => records.filter((r) => r.seq > seq).map((r) => ({ ...r, mac: `${chain}${r.seq}` })),
    cursorIsAuthentic: async (dest, c) => c.mac === cursorMac(cursorKey, dest, c) && (c.lastSeq < 0 || c.recordMac === `${chain}${c.lastSeq}`),
    signCursor: async (dest, c) => ({ ...c, mac: cursorMac(cursorKey, dest, c) }),
    close: () => undefined,
  });

  async function setup() {
    const state = new ForwardState(join(await tempDir(), 'v.keyward.audit-forward'), nodeFileSystem);
    const deliveries: number[][] = [];
    let failNext = false;
    const forwarder = (records: readonly AuditEntry[], chain?: string) =>
      new AuditForwarder({
        feed: feedOf(records, chain),
        destination,
        state,
        transport: async (_d, messages) => {
          if (failNext) throw new Error('receiver down');
          deliveries.push(messages.map((m) => (JSON.parse(m) as { event: { sequence: number } }).event.sequence));
        },
        message: (r) => ecsLine(r, OPTIONS),
        vaultId: VAULT_ID,
        now: () => new Date('2026-12-02T00:00:00Z'),
      });
    return { state, deliveries, forwarder, failing: (on: boolean) => (failNext = on) };
  }

  it(`sends in deliveries of ${RECORDS_PER_DELIVERY}, then only what is new; a failed delivery moves nothing`, async () => {
    const t = await setup();
    const first = await t.forwarder(trail.slice(0, 1100)).forwardNew();
    expect(first).toMatchObject({ sent: 1100, firstSeq: 0, lastSeq: 1099, firstRun: true });
    expect(t.deliveries.map((d) => d.length)).toEqual([500, 500, 100]);
    t.failing(true);
    await expect(t.forwarder(trail).forwardNew()).rejects.toThrow(/receiver down/);
    expect(await t.state.cursor(destination.key, VAULT_ID)).toMatchObject({ lastSeq: 1099 });
    t.failing(false);
    const next = await t.forwarder(trail).forwardNew();
    expect(next).toMatchObject({ sent: 103, firstSeq: 1100, lastSeq: 1202, firstRun: false });
    expect(t.deliveries.flat()).toEqual(trail.map((r) => r.seq)); // each once, in order
    // Another vault at the same path starts from nothing; its cursor does not apply.
    expect(await t.state.cursor(destination.key, 'another-vault')).toBeNull();
  });

  it('--since passes over the records before it on the first delivery only, and they stay passed over', async () => {
    const t = await setup();
    const since = trail[1000]!.at;
    expect(await t.forwarder(trail.slice(0, 1010)).forwardNew(since)).toMatchObject({ sent: 10, skipped: 1000, firstSeq: 1000, lastSeq: 1009 });
    expect(await t.forwarder(trail.slice(0, 1020)).forwardNew(trail[0]!.at)).toMatchObject({ sent: 10, skipped: 0, firstSeq: 1010, firstRun: false });
    const t2 = await setup();
    expect(await t2.forwarder(trail.slice(0, 5)).forwardNew('2030-01-01T00:00:00.000Z')).toMatchObject({ sent: 0, skipped: 5, lastSeq: 4 });
    expect(await t2.forwarder(trail.slice(0, 7)).forwardNew()).toMatchObject({ sent: 2, firstSeq: 5 });
  });

  it('a cursor raised by someone without the vault is not followed: everything is sent again, and the result says so (review M2)', async () => {
    const t = await setup();
    await t.forwarder(trail.slice(0, 10)).forwardNew();
    const file = JSON.parse(await readFile(t.state.path, 'utf8')) as { destinations: Record<string, { lastSeq: number; mac?: string }> };
    expect(file.destinations[destination.key]!.mac).toMatch(/^[0-9a-f]{64}$/);
    // Raised past what exists, so that every record made from now on would be passed over.
    file.destinations[destination.key]!.lastSeq = 1_000_000;
    await writeFile(t.state.path, JSON.stringify(file));
    const r = await t.forwarder(trail.slice(0, 12)).forwardNew();
    expect(r).toMatchObject({ sent: 12, firstSeq: 0, lastSeq: 11, cursorDistrusted: true });
    // The cursor it wrote authenticates: the next run goes on from it, trusted.
    expect(await t.forwarder(trail.slice(0, 13)).forwardNew()).toMatchObject({ sent: 1, firstSeq: 12 });
    expect(await t.forwarder(trail.slice(0, 13)).forwardNew()).not.toHaveProperty('cursorDistrusted');
    // Without a MAC at all (a cursor from before them): started over too.
    const bare = JSON.parse(await readFile(t.state.path, 'utf8')) as typeof file;
    delete bare.destinations[destination.key]!.mac;
    await writeFile(t.state.path, JSON.stringify(bare));
    expect(await t.forwarder(trail.slice(0, 13)).forwardNew()).toMatchObject({ sent: 13, cursorDistrusted: true });
  });

  it('a damaged state file never stops forwarding: everything is sent again, --since notwithstanding, and the file is written anew (review M2)', async () => {
    const t = await setup();
    await t.forwarder(trail.slice(0, 5)).forwardNew();
    await writeFile(t.state.path, '{"v":1,"destinations":{"x":{"lastSeq":"7"}}}');
    const r = await t.forwarder(trail.slice(0, 8)).forwardNew(trail[6]!.at);
    expect(r).toMatchObject({ sent: 8, firstSeq: 0, skipped: 0, cursorDistrusted: true });
    expect(await t.state.cursor(destination.key, VAULT_ID)).toMatchObject({ lastSeq: 7 });
  });

  it('an authentic cursor is not followed on a trail rolled back and written again under it (review M1)', async () => {
    const t = await setup();
    await t.forwarder(trail.slice(0, 10)).forwardNew();
    // The same numbers, other records: the chain MACs differ.
    const r = await t.forwarder(trail.slice(0, 12), 'rewritten').forwardNew();
    expect(r).toMatchObject({ sent: 12, firstSeq: 0, cursorDistrusted: true });
  });
});

/** One message as the rsyslog template below writes it. */
interface Received {
  input: string;
  facility: number;
  severity: number;
  app: string;
  msgid: string;
  msg: string;
  seq: number;
  action: string;
}

async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

/** A real rsyslogd in the foreground: imtcp and imudp on 127.0.0.1, every message from app "keyward" written to one file. */
class Rsyslog {
  private constructor(
    readonly process: ChildProcess,
    readonly tcpPort: number,
    readonly udpPort: number,
    readonly file: string,
    readonly log: () => string,
  ) {}

  static async start(dir: string): Promise<Rsyslog> {
    if (!existsSync(RSYSLOGD)) throw new Error(`${RSYSLOGD} is missing: these tests need a real rsyslog. Install it: sudo apt-get install rsyslog`);
    const [tcpPort, udpPort] = [await freeTcpPort(), await freeUdpPort()];
    const file = join(dir, 'received.log');
    await mkdir(join(dir, 'work'));
    const config = [
      `global(workDirectory="${join(dir, 'work')}")`,
      'module(load="imtcp")',
      'module(load="imudp")',
      `input(type="imtcp" address="127.0.0.1" port="${tcpPort}")`,
      `input(type="imudp" address="127.0.0.1" port="${udpPort}")`,
      'template(name="keyward" type="string" string="%inputname%|%syslogfacility%|%syslogseverity%|%app-name%|%msgid%|%msg%\\n")',
      `if $app-name == "keyward" then { action(type="omfile" file="${file}" template="keyward") }`,
      '',
    ].join('\n');
    await writeFile(join(dir, 'rsyslog.conf'), config);
    let output = '';
    const child = spawn(RSYSLOGD, ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const rsyslog = new Rsyslog(child, tcpPort, udpPort, file, () => output);
    for (let i = 0; i < 100 && !(await canConnect(tcpPort)); i++) {
      if (child.exitCode !== null) throw new Error(`rsyslogd exited (${child.exitCode}): ${output}`);
      await sleep(100);
    }
    if (!(await canConnect(tcpPort))) throw new Error(`rsyslogd did not listen on 127.0.0.1:${tcpPort} within 10 s: ${output}`);
    return rsyslog;
  }

  async received(input: 'imtcp' | 'imudp'): Promise<Received[]> {
    const text = existsSync(this.file) ? await readFile(this.file, 'utf8') : '';
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [inp, facility, severity, app, msgid, ...rest] = line.split('|');
        const msg = rest.join('|');
        const doc = JSON.parse(msg) as { event: { sequence: number; action: string } };
        return { input: inp!, facility: Number(facility), severity: Number(severity), app: app!, msgid: msgid!, msg, seq: doc.event.sequence, action: doc.event.action };
      })
      .filter((r) => r.input === input);
  }

  /** Waits until `done` holds for what arrived over `input` (rsyslog writes shortly after it reads). */
  async waitFor(input: 'imtcp' | 'imudp', done: (received: Received[]) => boolean, what: string): Promise<Received[]> {
    for (let i = 0; i < 100; i++) {
      const received = await this.received(input);
      if (done(received)) return received;
      await sleep(100);
    }
    throw new Error(`rsyslog never received ${what} over ${input}; it has ${(await this.received(input)).map((r) => r.seq).join(',')}. rsyslogd said: ${this.log()}`);
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (this.process.exitCode === null) this.process.kill('SIGKILL');
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('keyward audit forward, to a real rsyslog', () => {
  let rsyslog: Rsyslog;
  let cli: CliVault;
  let secret: string;
  const cursor = async (key: string) =>
    (JSON.parse(await readFile(vaultPaths(cli.path).audit.forward, 'utf8')) as { destinations: Record<string, { lastSeq: number }> }).destinations[key]?.lastSeq;
  const tcp = () => `127.0.0.1:${rsyslog.tcpPort}`;
  const tcpKey = () => `${tcp()}/tcp`;

  /** The jsonl export's line for each record: what each message's MSG must be, exactly. */
  async function exportedLines(): Promise<Map<number, string>> {
    const out = join(cli.dir, `check-${Date.now()}.jsonl`);
    await cli.expectOk(['audit', 'export', '--out', out]);
    const lines = (await readFile(out, 'utf8')).split('\n').filter(Boolean);
    return new Map(lines.map((l) => [(JSON.parse(l) as { event: { sequence: number } }).event.sequence, l]));
  }

  beforeAll(async () => {
    rsyslog = await Rsyslog.start(await tempDir());
    cli = new CliVault(await tempDir());
    secret = distinctiveSecret('forward');
    await cli.init();
    await cli.add('stripe-prod', secret, 'api_key');
    await cli.expectOk(['get', 'stripe-prod']);
  });

  afterAll(async () => {
    await rsyslog?.stop();
  });

  it('over TCP: every record once, in order, facility 13, MSGID the action, MSG the export line; the cursor kept 0600', async () => {
    const r = await cli.run(['audit', 'forward', '--syslog', tcp()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Forwarded \d+ records \(records 0–\d+\) to 127\.0\.0\.1:\d+\/tcp\./);
    const last = (await cursor(tcpKey()))!;
    expect(last).toBeGreaterThan(5);
    const received = await rsyslog.waitFor('imtcp', (got) => got.length >= last + 1, `records 0–${last}`);
    expect(received.map((m) => m.seq)).toEqual(range(0, last));
    expect(received.at(-1)!.action).toBe('audit.forward'); // recorded once when forwarding started, and forwarded itself
    const lines = await exportedLines();
    for (const m of received) {
      expect(m).toMatchObject({ facility: 13, app: 'keyward', msgid: m.action.slice(0, 32) });
      expect(m.msg).toBe(lines.get(m.seq));
    }
    expect(received.find((m) => m.action === 'reveal')?.severity).toBe(5);
    expect(received.find((m) => m.action === 'vault.unlock.password')?.severity).toBe(6);
    expect((await readFile(rsyslog.file, 'utf8')).includes(secret)).toBe(false);
    expect((await readFile(rsyslog.file, 'utf8')).includes('stripe-prod')).toBe(false); // names keyed without --with-names
    expect((await stat(vaultPaths(cli.path).audit.forward)).mode & 0o777).toBe(0o600);
  });

  it('over UDP: one datagram per record, with its own cursor', async () => {
    const r = await cli.run(['audit', 'forward', '--syslog', `127.0.0.1:${rsyslog.udpPort}`, '--udp']);
    expect(r.code, r.stderr).toBe(0);
    const last = (await cursor(`127.0.0.1:${rsyslog.udpPort}/udp`))!;
    const received = await rsyslog.waitFor('imudp', (got) => got.length >= last + 1, `records 0–${last}`);
    expect(received.map((m) => m.seq)).toEqual(range(0, last));
    expect(received.every((m) => m.facility === 13 && m.app === 'keyward')).toBe(true);
  });

  it('a later run sends only what was recorded since: nothing twice, nothing skipped', async () => {
    const before = (await cursor(tcpKey()))!;
    await cli.add('second', distinctiveSecret('second'));
    await cli.expectOk(['get', 'second']);
    const r = await cli.run(['audit', 'forward', '--syslog', tcp(), '--since', '2000-01-01']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/--since was not used/);
    const last = (await cursor(tcpKey()))!;
    const received = await rsyslog.waitFor('imtcp', (got) => got.length >= last + 1, `records 0–${last}`);
    expect(received.map((m) => m.seq)).toEqual(range(0, last));
    // The previous run's lock, the UDP run, the adds and gets: all after the old cursor, and only those.
    const fresh = received.filter((m) => m.seq > before);
    expect(fresh[0]!.action).toBe('vault.lock.command-end');
    expect(fresh.map((m) => m.action)).toContain('add');
    expect(fresh.filter((m) => m.action === 'audit.forward')).toHaveLength(2); // the UDP run's and this one's
  });

  it('--follow forwards what another process records while it runs; SIGINT locks and exits 0', async () => {
    const start = (await cursor(tcpKey()))!;
    const follower = spawn(process.execPath, [builtCli(), '--vault', cli.path, '--no-keychain', 'audit', 'forward', '--syslog', tcp(), '--follow'], {
      env: cliEnv({ KEYWARD_PASSWORD: cli.password }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    follower.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    follower.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => follower.once('exit', (code) => resolve(code)));
    try {
      const opened = await rsyslog.waitFor('imtcp', (got) => got.some((m) => m.seq > start && m.action === 'audit.forward'), 'the follower’s own opening');
      const opening = opened.find((m) => m.seq > start && m.action === 'audit.forward')!.seq;
      await cli.add('third', distinctiveSecret('third'));
      const withAdd = await rsyslog.waitFor('imtcp', (got) => got.some((m) => m.seq > opening && m.action === 'add'), 'the add made by another process');
      // Everything another process recorded arrives: its unlock, the add, its lock.
      await rsyslog.waitFor('imtcp', (got) => got.some((m) => m.seq > opening && m.action === 'vault.lock.command-end'), 'the other process’s lock');
      expect(withAdd.filter((m) => m.action === 'audit.forward' && m.seq > start)).toHaveLength(1); // recorded once, not per poll
    } finally {
      follower.kill('SIGINT');
    }
    expect(await Promise.race([exited, sleep(15_000).then(() => 'still running')])).toBe(0);
    expect(out).toMatch(/Stopped\. Forwarded \d+ records in all/);

    // One more run sends the follower's own lock; every record has then arrived exactly once, each as its export line.
    expect((await cli.run(['audit', 'forward', '--syslog', tcp()])).code).toBe(0);
    const last = (await cursor(tcpKey()))!;
    const received = await rsyslog.waitFor('imtcp', (got) => got.length >= last + 1, `records 0–${last}`);
    expect(received.map((m) => m.seq)).toEqual(range(0, last));
    const lines = await exportedLines();
    for (const m of received) expect(m.msg, `record ${m.seq}`).toBe(lines.get(m.seq));
    expect(received.filter((m) => m.seq > start && m.action === 'audit.forward')).toHaveLength(2);
  });

  it('a cursor raised in the state file is not followed: the run warns and sends the trail again from the start (after the runs above, which each sent every record once)', async () => {
    const path = vaultPaths(cli.path).audit.forward;
    const state = JSON.parse(await readFile(path, 'utf8')) as { destinations: Record<string, { lastSeq: number }> };
    const was = state.destinations[tcpKey()]!.lastSeq;
    state.destinations[tcpKey()]!.lastSeq = was + 1_000_000;
    await writeFile(path, JSON.stringify(state));
    const r = await cli.run(['audit', 'forward', '--syslog', tcp()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/did not authenticate .* sent there again from the start/);
    const last = (await cursor(tcpKey()))!;
    expect(last).toBeGreaterThan(was);
    // Records 0..was arrive a second time; none is missing.
    const received = await rsyslog.waitFor('imtcp', (got) => got.length >= last + 1 + was + 1, `records 0–${last} after 0–${was}`);
    expect(new Set(received.map((m) => m.seq))).toEqual(new Set(range(0, last)));
    expect(received.filter((m) => m.seq === 0)).toHaveLength(2);
  });

  it('a receiver that refuses the connection: exit 9, a clear message, its cursor not created; --follow keeps trying', async () => {
    const closed = await freeTcpPort();
    const r = await cli.run(['audit', 'forward', '--syslog', `127.0.0.1:${closed}`]);
    expect(r.code).toBe(9);
    expect(r.stderr).toMatch(/Could not forward the audit trail to the syslog receiver at 127\.0\.0\.1:\d+\/tcp \(ECONNREFUSED, connection refused/);
    expect(await cursor(`127.0.0.1:${closed}/tcp`)).toBeUndefined();

    // --follow does not give up: it says so and tries again, until stopped.
    const follower = spawn(process.execPath, [builtCli(), '--vault', cli.path, '--no-keychain', 'audit', 'forward', '--syslog', `127.0.0.1:${closed}`, '--follow'], {
      env: cliEnv({ KEYWARD_PASSWORD: cli.password }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let err = '';
    follower.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => follower.once('exit', (code) => resolve(code)));
    for (let i = 0; i < 100 && !/Trying again in 1 s/.test(err); i++) await sleep(100);
    follower.kill('SIGINT');
    expect(await Promise.race([exited, sleep(15_000).then(() => 'still running')])).toBe(0);
    expect(err).toMatch(/ECONNREFUSED.*Trying again in 1 s/);
    expect(await cursor(`127.0.0.1:${closed}/tcp`)).toBeUndefined();
  });

  it('a bad HOST:PORT: exit 2 with an example, before the trail is read', async () => {
    for (const bad of ['127.0.0.1', 'localhost:70000', '[::1:514']) {
      const r = await cli.run(['audit', 'forward', '--syslog', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/e\.g\. --syslog 127\.0\.0\.1:514/);
    }
    const missing = await cli.run(['audit', 'forward']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs --syslog HOST:PORT/);
  });
});
