/**
 * Where the running app serves its local API for one vault (docs/local-api.md):
 * a Unix socket in a per-user folder only its owner can enter (0700), named
 * after the vault's path; a named pipe on Windows. Never TCP.
 */
import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultStateDir } from '../vault/vault-paths.js';

/** The per-user folder holding the sockets: $KEYWARD_RUNTIME_DIR, else $XDG_RUNTIME_DIR/keyward, else the state folder's run/. */
export function localApiDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.KEYWARD_RUNTIME_DIR) return env.KEYWARD_RUNTIME_DIR;
  if (platform !== 'darwin' && platform !== 'win32' && env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'keyward');
  return join(defaultStateDir(env, platform), 'run');
}

export function localApiSocketPath(vaultPath: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  // A hash of the vault's path keeps the name short (a Unix socket path has ~100 bytes) and says nothing of it.
  const id = createHash('sha256').update(resolve(vaultPath)).digest('hex').slice(0, 16);
  if (platform === 'win32') return `\\\\.\\pipe\\keyward-${userInfo().username}-${id}`;
  return join(localApiDir(env, platform), `api-${id}.sock`);
}
