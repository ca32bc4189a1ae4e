/**
 * `keyward audit forward --syslog HOST:PORT [--udp] [--since T] [--follow]
 * [--with-names]`: sends a syslog receiver (rsyslog, syslog-ng, a SIEM's
 * collector) the records it has not been sent yet, as RFC 5424 messages
 * whose text is the record's ECS JSON line (docs/siem.md). What was sent
 * where is remembered beside the vault (P.audit-forward). Opening the trail
 * for it is recorded once, as `audit.forward`, however long --follow runs.
 */
import { hostname } from 'node:os';
import { KEYWARD_VERSION } from '../../core/audit/export/index.js';
import { parseDestination, type SyslogDestination } from '../../core/audit/forward/destination.js';
import { ForwardState } from '../../core/audit/forward/forward-state.js';
import { followTrail } from '../../core/audit/forward/follow.js';
import { AuditForwarder, distrustedCursorNotice, type ForwardResult } from '../../core/audit/forward/forwarder.js';
import { syslogMessage, type SyslogOptions } from '../../core/audit/forward/rfc5424.js';
import { nodeSyslogTransport } from '../../core/audit/forward/syslog-transport.js';
import { fail } from '../../core/errors.js';
import { nodeFileSystem } from '../../core/ports/file-system.js';
import { vaultPaths } from '../../core/vault/vault-paths.js';
import { emit, type Output } from '../output.js';
import { safeText } from '../terminal.js';
import type { AuditSubcommand } from './audit-subcommand.js';
import { FILTER_OPTIONS, isoOption } from './audit-subcommand.js';

const plural = (n: number) => `${n} record${n === 1 ? '' : 's'}`;

function sentLine(r: ForwardResult, destination: SyslogDestination): string {
  const range = r.firstSeq === undefined ? '' : r.firstSeq === r.lastSeq ? ` (record ${r.lastSeq})` : ` (records ${r.firstSeq}–${r.lastSeq})`;
  return `Forwarded ${plural(r.sent)}${range} to ${destination.key}.`;
}

/** Ends --follow on SIGINT or SIGTERM: the loop finishes what it is sending, the vault is locked, exit 0. */
function stopSignal() {
  let requested = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    requested = true;
    wake?.();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return {
    get requested() {
      return requested;
    },
    /** Waits `ms`, or less when a stop is asked for. */
    sleep(ms: number): Promise<void> {
      if (requested) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      });
    },
    dispose() {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

/** What changes when anything is appended to the trail (by this process or another). */
async function trailStamp(log: string): Promise<string> {
  const s = await nodeFileSystem.stat(log);
  return s ? `${s.ino}:${s.size}:${s.mtimeMs}` : 'none';
}

type StopSignal = ReturnType<typeof stopSignal>;

/** Says what a delivery did (nothing with --json: the summary at the end says it). */
function report(r: ForwardResult, since: string | undefined, destination: SyslogDestination, o: Output, quiet: boolean): void {
  if (r.cursorDistrusted) o.err(`keyward: warning: ${distrustedCursorNotice(destination.key)}`);
  if (since !== undefined && !r.firstRun) o.err(`keyward: note: --since was not used: ${destination.key} was sent records before, so forwarding went on after the last of them.`);
  if (o.json) return;
  if (r.skipped > 0) o.out(`Passed over ${plural(r.skipped)} made before ${since}.`);
  if (r.sent > 0) o.out(sentLine(r, destination));
  else if (!quiet) o.out(`Nothing new to forward to ${destination.key}.`);
}

/** Forwards what the trail holds, then what is appended to it, until SIGINT or SIGTERM (core: forward/follow.ts). */
function follow(forwarder: AuditForwarder, since: string | undefined, log: string, destination: SyslogDestination, o: Output, stop: StopSignal): Promise<number> {
  return followTrail({
    forwarder,
    since,
    stamp: () => trailStamp(log),
    sleep: (ms) => stop.sleep(ms),
    stopped: () => stop.requested,
    onDelivered: (r, pendingSince) => report(r, pendingSince, destination, o, true),
    onFailure: (err, retryInMs) => o.err(`keyward: ${safeText(err.message)} Trying again in ${Math.ceil(retryInMs / 1000)} s.`),
  });
}

export const forwardTrail: AuditSubcommand = {
  name: 'forward',
  options: {
    syslog: { type: 'string', value: 'HOST:PORT' },
    udp: { type: 'boolean' },
    since: FILTER_OPTIONS.since,
    follow: { type: 'boolean' },
    'with-names': { type: 'boolean' },
  },
  synopsis: 'audit forward --syslog HOST:PORT [--udp] [--since T] [--follow] [--with-names]',
  summary:
    'send a syslog receiver the records not yet sent to it (RFC 5424, facility log audit; TCP by default); --follow keeps sending new ones until Ctrl-C (docs/siem.md)',
  async run({ vault, lifecycle, flags, o }) {
    // Everything checked before the trail is opened (and the opening recorded).
    if (flags.syslog === undefined || String(flags.syslog) === '') throw fail.badRequest('audit forward needs --syslog HOST:PORT, e.g. --syslog 127.0.0.1:514.', 'syslog');
    const destination = parseDestination(String(flags.syslog), flags.udp === true ? 'udp' : 'tcp');
    const since = isoOption(flags, 'since');
    const { vaultId } = vault.info;
    const paths = vaultPaths(lifecycle.path).audit;
    const state = new ForwardState(paths.forward, nodeFileSystem);
    const options: SyslogOptions = { vaultId, productVersion: KEYWARD_VERSION, withNames: flags['with-names'] === true, hostname: hostname(), procId: process.pid };

    // Installed before the first delivery: Ctrl-C during it still ends cleanly (vault locked, exit 0).
    const stop = flags.follow === true ? stopSignal() : null;
    const feed = await vault.auditFeed('audit.forward');
    try {
      const forwarder = new AuditForwarder({ feed, destination, state, transport: nodeSyslogTransport, message: (r) => syslogMessage(r, options), vaultId, now: () => new Date() });
      let sent: number;
      if (stop) {
        if (!o.json) o.out(`Forwarding to ${destination.key}, then each new record as it is made. Ctrl-C stops.`);
        sent = await follow(forwarder, since, paths.log, destination, o, stop);
      } else {
        const r = await forwarder.forwardNew(since);
        report(r, since, destination, o, false);
        sent = r.sent;
      }
      const saved = await state.cursor(destination.key, vaultId);
      const lastSeq = saved && saved !== 'damaged' ? saved.lastSeq : -1;
      emit(o, { destination: destination.key, sent, lastSeq, state: paths.forward }, () =>
        stop ? `Stopped. Forwarded ${plural(sent)} in all; the next run starts after record ${lastSeq}.` : `The next run starts after record ${lastSeq} (remembered in ${safeText(paths.forward)}).`,
      );
    } finally {
      feed.close();
      stop?.dispose();
    }
  },
};
