/**
 * The CLI through the running app (docs/local-api.md): when the app serves
 * this vault, is unlocked, and its policy turns CLI integration on, `keyward
 * get` and `list` ask it instead of opening the file — no master password,
 * no KDF. The first use in a terminal waits for the user's approval in the
 * app; the session's token is kept, for the minutes the policy says, in a
 * file only this user can read in the app's runtime folder, named for the
 * terminal session and the vault.
 */
import { createHash } from 'node:crypto';
// Synchronous fs (loaded with Node itself): this path is about starting fast, and the files are tiny.
import { readFileSync, readlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { localApiDir, localApiSocketPath } from '../core/api/socket-path.js';
import { KeywardError } from '../core/errors.js';
import { connectLocalApi, type LocalApiClient } from './local-api-client.js';

/** This terminal's session, as far as the OS says: the session id on Linux, else the parent process (the shell). */
function terminalSession(): { id: string; label: string } {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const sid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3];
    let tty = '';
    try {
      tty = readlinkSync('/proc/self/fd/0');
    } catch {
      /* no stdin */
    }
    if (sid) return { id: `sid-${sid}`, label: `session ${sid}${tty.startsWith('/dev/') ? ` on ${tty}` : ''}` };
  } catch {
    /* not Linux */
  }
  return { id: `ppid-${process.ppid}`, label: `the shell with process id ${process.ppid}` };
}

export interface AppSession {
  call(method: 'cli.get' | 'cli.list', params: Record<string, unknown>): Promise<unknown>;
  close(): void;
}

/**
 * A session with the app for this terminal, or null when the CLI should open
 * the file itself (no app, the app locked, integration off, or declined).
 */
export async function appSession(vaultPath: string): Promise<AppSession | null> {
  const path = localApiSocketPath(vaultPath);
  const terminal = terminalSession();
  const file = join(localApiDir(), `cli-${createHash('sha256').update(`${resolve(vaultPath)}\0${terminal.id}`).digest('hex').slice(0, 16)}.session`);
  let saved: { token?: string; expiresAt?: string } | null = null;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as { token?: string; expiresAt?: string };
  } catch {
    /* none yet, or unreadable: a new session is asked for */
  }
  let token = saved?.token && saved.expiresAt && Date.parse(saved.expiresAt) > Date.now() ? saved.token : null;
  const client: LocalApiClient | null = await connectLocalApi(path, token ?? 'cli');
  if (!client) return null;
  const open = async (): Promise<boolean> => {
    try {
      const made = (await client.call('cli.open', { terminal: terminal.label })) as { token: string; expiresAt: string };
      token = made.token;
      writeFileSync(file, JSON.stringify(made), { mode: 0o600 });
      return true;
    } catch (err) {
      // Off, locked or declined: the CLI goes on by itself.
      if (err instanceof KeywardError && ['FORBIDDEN', 'VAULT_LOCKED', 'AUTH_FAILED'].includes(err.code)) return false;
      throw err;
    }
  };
  if (!token && !(await open())) {
    client.close();
    return null;
  }
  return {
    async call(method, params) {
      try {
        return await client.callWith(token!, method, params);
      } catch (err) {
        // The session ended (expired, the app locked or restarted): once more, with a new approval.
        if (!(err instanceof KeywardError && err.code === 'AUTH_FAILED')) throw err;
        try {
          unlinkSync(file);
        } catch {
          /* already gone */
        }
        if (!(await open())) throw new KeywardError('AUTH_FAILED', 'The app no longer lets this terminal in (locked, or declined): run the command again to open the vault file.');
        return client.callWith(token!, method, params);
      }
    },
    close: () => client.close(),
  };
}
