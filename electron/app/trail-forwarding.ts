/**
 * The app forwards the audit trail for as long as the vault is open, when the
 * user set a destination (Settings, or `keyward audit forward --syslog … --in-app`):
 * the same forwarder and cursor as `keyward audit forward --follow`
 * (docs/siem.md), so the app and the CLI never send a record twice between them.
 * Opening the trail for it is recorded once per unlock (`audit.forward`).
 */
import { hostname } from 'node:os';
import type { ForwardingStatus } from '../../shared/ipc/audit.js';
import { KEYWARD_VERSION } from '../core/audit/export/index.js';
import { parseDestination } from '../core/audit/forward/destination.js';
import { followTrail } from '../core/audit/forward/follow.js';
import { ForwardState } from '../core/audit/forward/forward-state.js';
import { AuditForwarder, distrustedCursorNotice } from '../core/audit/forward/forwarder.js';
import { syslogMessage } from '../core/audit/forward/rfc5424.js';
import { nodeSyslogTransport, type SyslogTransport } from '../core/audit/forward/syslog-transport.js';
import { toErrorInfo } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.js';
import type { FileSystem } from '../core/ports/file-system.js';
import type { TimerPort } from '../core/ports/timers.js';
import type { UnlockedVault } from '../core/service/vault-lifecycle.js';
import { vaultPaths } from '../core/vault/vault-paths.js';

export const FORWARDING_OFF: ForwardingStatus = { destination: null, state: 'off', sent: 0, lastSeq: null, lastSentAt: null, error: null };

export interface TrailForwardingDeps {
  fs: FileSystem;
  clock: Clock;
  timers: TimerPort;
  transport?: SyslogTransport;
}

interface Run {
  stopped: boolean;
  wake: (() => void) | null;
  done: Promise<void>;
  closeFeed: () => void;
}

export class TrailForwarding {
  #run: Run | null = null;
  #status: ForwardingStatus = FORWARDING_OFF;

  constructor(private readonly deps: TrailForwardingDeps) {}

  get status(): ForwardingStatus {
    return { ...this.#status };
  }

  /** Starts forwarding for `vault` as its settings say (stopping what ran before); nothing when no destination is set. */
  async start(vault: UnlockedVault, vaultPath: string): Promise<void> {
    await this.stop();
    const setting = vault.state.settings.auditForward;
    if (!setting) return;
    const destination = parseDestination(setting.syslog, setting.protocol);
    const run: Run = { stopped: false, wake: null, done: Promise.resolve(), closeFeed: () => undefined };
    this.#run = run;
    this.#status = { ...FORWARDING_OFF, destination: destination.key, state: 'sending' };
    const { vaultId } = vault.info;
    const paths = vaultPaths(vaultPath).audit;
    const feed = await vault.auditFeed('audit.forward');
    run.closeFeed = () => feed.close();
    if (run.stopped) return feed.close();
    const forwarder = new AuditForwarder({
      feed,
      destination,
      state: new ForwardState(paths.forward, this.deps.fs),
      transport: this.deps.transport ?? nodeSyslogTransport,
      message: (r) => syslogMessage(r, { vaultId, productVersion: KEYWARD_VERSION, withNames: setting.withNames, hostname: hostname(), procId: process.pid }),
      vaultId,
      now: () => this.deps.clock.now(),
    });
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const handle = this.deps.timers.setTimeout(() => {
          run.wake = null;
          resolve();
        }, ms);
        run.wake = () => {
          this.deps.timers.clearTimeout(handle);
          run.wake = null;
          resolve();
        };
      });
    run.done = followTrail({
      forwarder,
      stamp: async () => {
        const s = await this.deps.fs.stat(paths.log);
        return s ? `${s.size}:${s.mtimeMs}` : 'none';
      },
      sleep,
      stopped: () => run.stopped,
      onDelivered: (r) => {
        if (this.#run !== run) return;
        this.#status = {
          ...this.#status,
          state: 'sending',
          error: null,
          sent: this.#status.sent + r.sent,
          lastSeq: r.lastSeq,
          ...(r.sent ? { lastSentAt: this.deps.clock.now().toISOString() } : {}),
          ...(r.cursorDistrusted ? { notice: distrustedCursorNotice(destination.key) } : {}),
        };
      },
      onFailure: (err, retryInMs) => {
        if (this.#run === run) this.#status = { ...this.#status, state: 'failing', error: `${err.message} Trying again in ${Math.ceil(retryInMs / 1000)} s.` };
      },
    })
      .then(() => undefined)
      .catch((err: unknown) => {
        // Anything but an undelivered batch (the vault locked under it, a damaged cursor file): stop, and say why.
        if (this.#run === run && !run.stopped) this.#status = { ...this.#status, state: 'failing', error: toErrorInfo(err).message };
      })
      .finally(() => feed.close());
  }

  /** Stops forwarding (before the vault locks: the feed's keys go with it). */
  async stop(): Promise<void> {
    const run = this.#run;
    this.#run = null;
    this.#status = FORWARDING_OFF;
    if (!run) return;
    run.stopped = true;
    run.closeFeed();
    run.wake?.();
    await run.done;
  }
}
