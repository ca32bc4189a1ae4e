/**
 * Hands syslog messages to a receiver: the thin adapter over node:net and
 * node:dgram. What "sent" means (docs/siem.md):
 *
 * - TCP: the messages, octet-counted (RFC 6587 §3.4.1), are written on a
 *   fresh connection that is then closed; they count as sent once the
 *   receiver has closed its side too without an error — it has read up to
 *   our end of stream. A receiver may still lose what it read (a crash before
 *   it wrote it down): delivery is at least once, not exactly once.
 * - UDP: one datagram per message, sent when the OS accepted it. Nothing
 *   says it arrived: best effort.
 */
import { createSocket } from 'node:dgram';
import { connect, isIP } from 'node:net';
import { KeywardError } from '../../errors.js';
import type { SyslogDestination } from './destination.js';
import { octetCounted } from './rfc5424.js';

export type SyslogTransport = (destination: SyslogDestination, messages: readonly string[]) => Promise<void>;

/** How long a TCP delivery may take, connect to clean close, before it counts as failed. */
export const TCP_TIMEOUT_MS = 15_000;

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused: is a receiver listening on that port?',
  ECONNRESET: 'the receiver reset the connection',
  EPIPE: 'the receiver closed the connection early',
  ETIMEDOUT: 'no clean close within the time allowed',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved now',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  EMSGSIZE: 'a message is larger than a datagram can carry',
};

function undelivered(destination: SyslogDestination, err: unknown): KeywardError {
  const code = (err as NodeJS.ErrnoException | null)?.code ?? 'error';
  const why = Object.hasOwn(REASONS, code) ? `${code}, ${REASONS[code]}` : code;
  return new KeywardError(
    'AUDIT_UNAVAILABLE',
    `Could not forward the audit trail to the syslog receiver at ${destination.key} (${why}). Those records are not marked as sent: the next run sends them again.`,
  );
}

function sendTcp(destination: SyslogDestination, messages: readonly string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: destination.host, port: destination.port });
    let settled = false;
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err === undefined) return resolve();
      socket.destroy();
      reject(undelivered(destination, err));
    };
    const timer = setTimeout(() => settle(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), timeoutMs);
    socket.on('error', settle);
    socket.once('connect', () => socket.end(Buffer.concat(messages.map(octetCounted))));
    // Whatever a receiver says is not read; flowing, so its end of stream (and the close after it) is seen.
    socket.resume();
    socket.once('close', (hadError) => settle(hadError ? Object.assign(new Error('closed with an error'), { code: 'ECONNRESET' }) : undefined));
  });
}

async function sendUdp(destination: SyslogDestination, messages: readonly string[]): Promise<void> {
  const socket = createSocket(isIP(destination.host) === 6 ? 'udp6' : 'udp4');
  let asyncError: unknown;
  socket.on('error', (err) => (asyncError = err));
  try {
    for (const message of messages) {
      await new Promise<void>((resolve, reject) => socket.send(Buffer.from(message, 'utf8'), destination.port, destination.host, (err) => (err ? reject(err) : resolve())));
      if (asyncError) throw asyncError;
    }
  } catch (err) {
    throw undelivered(destination, err);
  } finally {
    socket.close();
  }
}

export const nodeSyslogTransport: SyslogTransport = (destination, messages) =>
  destination.protocol === 'tcp' ? sendTcp(destination, messages, TCP_TIMEOUT_MS) : sendUdp(destination, messages);
