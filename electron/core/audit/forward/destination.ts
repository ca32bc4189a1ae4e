/**
 * Where audit records are forwarded: a syslog receiver's HOST:PORT and the
 * transport. The destination's key ("127.0.0.1:514/tcp") names its cursor in
 * the forward state (forward-state.ts).
 */
import { isIP } from 'node:net';
import { fail } from '../../errors.js';

export interface SyslogDestination {
  /** A host name, an IPv4 address or an IPv6 address (without brackets). */
  host: string;
  port: number;
  protocol: 'tcp' | 'udp';
  /** "host:port/proto" (IPv6 in brackets): what the forward state remembers it by. */
  key: string;
}

const EXAMPLE = 'e.g. --syslog 127.0.0.1:514, --syslog logs.example.com:6514 or --syslog [::1]:514';

/** A DNS name (RFC 1123 labels), the only kind of name accepted besides IP addresses. */
const HOST_NAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export function parseDestination(text: string, protocol: 'tcp' | 'udp'): SyslogDestination {
  const bad = (why: string) => fail.badRequest(`--syslog takes HOST:PORT (${why}); ${EXAMPLE}.`, 'syslog');
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (!match) throw bad('no host and port found');
  const host = match[1] ?? match[2]!;
  const port = Number(match[3]);
  if (match[1] !== undefined && isIP(host) !== 6) throw bad('only an IPv6 address goes in brackets');
  if (match[2] !== undefined && isIP(host) === 0 && !HOST_NAME.test(host)) throw bad('the host is not a host name or an IP address');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad('the port must be 1 to 65535');
  const shown = isIP(host) === 6 ? `[${host}]` : host;
  return { host, port, protocol, key: `${shown}:${port}/${protocol}` };
}
