/**
 * Where the running app serves its local API for one vault (docs/local-api.md):
 * a Unix socket in a per-user folder only its owner can enter (0700), named
 * after the vault's path; a named pipe on Windows. Never TCP.
 */
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultStateDir } from '../vault/vault-paths.js';

/** The per-user folder holding the sockets: $KEYWARD_RUNTIME_DIR, else $XDG_RUNTIME_DIR/keyward, else the state folder's run/. */
export function localApiDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.KEYWARD_RUNTIME_DIR) return env.KEYWARD_RUNTIME_DIR;
  if (platform !== 'darwin' && platform !== 'win32' && env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'keyward');
  return join(defaultStateDir(env, platform), 'run');
}

/**
 * A short name for a file in the runtime folder (16 hex: FNV-1a, 64 bits, of
 * the text's UTF-8). Not a cryptographic hash, on purpose: this is a name,
 * never a secret nor a check — the folder's owner and mode keep others out,
 * and the app refuses a request meant for another vault (the envelope's
 * `vault`) — while `keyward get` through the app must not load node:crypto
 * (about 5 ms of a 13 ms budget above Node's own start).
 */
export function runtimeFileId(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  // 64-bit arithmetic in two 32-bit halves: offset basis 0xcbf29ce484222325, prime 0x100000001b3 (2^40 + 0x1b3).
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (const byte of bytes) {
    lo = (lo ^ byte) >>> 0;
    // (hi·2^32 + lo) · (2^40 + 0x1b3) mod 2^64
    const loTimesPrime = lo * 0x1b3;
    const carry = Math.floor(loTimesPrime / 0x1_0000_0000);
    hi = (Math.imul(hi, 0x1b3) + Math.imul(lo, 0x100) + carry) >>> 0;
    lo = loTimesPrime >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

export function localApiSocketPath(vaultPath: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  // Named from the vault's path: short (a Unix socket path has ~100 bytes), and saying nothing of the path.
  const id = runtimeFileId(resolve(vaultPath));
  if (platform === 'win32') return `\\\\.\\pipe\\keyward-${userInfo().username}-${id}`;
  return join(localApiDir(env, platform), `api-${id}.sock`);
}
