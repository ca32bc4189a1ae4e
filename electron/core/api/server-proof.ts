/**
 * How the app proves to a client that it is the user's own Keyward before the
 * client sends a token (docs/local-api.md, "Who serves"). On Unix the kernel
 * says who owns a socket and its folder, and the client checks that; a Windows
 * named pipe's owner cannot be asked from Node, and any local user may create
 * a pipe name first. So the app keeps a random key in a file only this user
 * can read (beside the sockets, or in the per-user state folder on Windows),
 * and answers a client's fresh challenge with its HMAC: a process that cannot
 * read the user's files cannot answer, and is sent nothing.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, constants, fstatSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { localApiDir } from './socket-path.js';

export { SERVER_PROOF_METHOD } from '../../../shared/local-api.js';
export const SERVER_KEY_BYTES = 32;
/** A challenge (32 random bytes) and a proof (an HMAC-SHA256) alike: 64 lowercase hex digits. */
export const CHALLENGE_PATTERN = /^[0-9a-f]{64}$/;
/** Domain separation: this key signs nothing else. */
const PROOF_LABEL = 'keyward local API server proof v1\n';

/** Where the key of the app serving `socketPath` is: beside the socket (its 0700 folder), or the per-user runtime folder for a pipe. */
export function serverKeyPath(socketPath: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  return platform === 'win32' ? join(localApiDir(env, platform), 'server.key') : join(dirname(socketPath), 'server.key');
}

export function newChallenge(): string {
  return randomBytes(32).toString('hex');
}

/** HMAC-SHA256 under the server key of the label and the challenge, lowercase hex. */
export function proofFor(key: Buffer, challenge: string): string {
  return createHmac('sha256', key).update(PROOF_LABEL).update(challenge, 'latin1').digest('hex');
}

/** Whether `answer` is the proof of `challenge` under `key` (constant time). */
export function isProof(key: Buffer, challenge: string, answer: unknown): boolean {
  if (typeof answer !== 'string' || !CHALLENGE_PATTERN.test(answer)) return false;
  return timingSafeEqual(Buffer.from(proofFor(key, challenge), 'hex'), Buffer.from(answer, 'hex'));
}

/** Whether a key file may be trusted: a regular file of the right size, this user's, readable by no one else (Unix). */
function trustworthy(stat: { isFile(): boolean; size: number; uid: number; mode: number }, platform: NodeJS.Platform): boolean {
  if (!stat.isFile() || stat.size !== SERVER_KEY_BYTES) return false;
  if (platform === 'win32' || typeof process.getuid !== 'function') return true;
  return stat.uid === process.getuid() && (stat.mode & 0o077) === 0;
}

/**
 * The client's side: the key the user's app wrote, or null when there is none
 * to trust (no app of this user's ever served here, or the file is not this
 * user's alone). Never follows a symlink.
 */
export function readServerKey(file: string, platform = process.platform): Buffer | null {
  try {
    if (!trustworthy(lstatSync(file), platform)) return null;
    const key = readFileSync(file);
    return key.length === SERVER_KEY_BYTES ? key : null;
  } catch {
    return null;
  }
}

/**
 * The app's side: the key in `file`, made (32 random bytes, 0600, created
 * exclusively) when there is none. One that others could have read, or that
 * is not a plain file of the right size, is replaced: a key someone else may
 * know proves nothing.
 */
export function loadOrCreateServerKey(file: string, platform = process.platform): Buffer {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const existing = readServerKey(file, platform);
  if (existing) return existing;
  try {
    lstatSync(file);
    unlinkSync(file);
  } catch {
    /* none there */
  }
  const key = randomBytes(SERVER_KEY_BYTES);
  // Written whole under a name of its own, then linked into place: a reader never sees half a key, and of two
  // apps making it at once (each serving another vault), one links and the other takes that one's key.
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    try {
      if (platform !== 'win32') chmodSync(temp, 0o600);
      writeSync(fd, key);
      if (!trustworthy(fstatSync(fd), platform)) throw new Error(`${file} could not be made private`);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temp, file);
    } catch (err) {
      const theirs = (err as NodeJS.ErrnoException).code === 'EEXIST' ? readServerKey(file, platform) : null;
      if (theirs) return theirs;
      throw err;
    }
  } finally {
    unlinkSync(temp);
  }
  return key;
}
