/**
 * The CLI through the running app (docs/local-api.md): when the app serves
 * this vault, is unlocked, and its policy turns CLI integration on, the
 * commands that only read (`keyward get`, `list`, `show`, `history`, `env`,
 * `inject`, `run`) ask it instead of opening the file — no master password,
 * no KDF. The first use in a terminal waits for the user's approval in the
 * app; the session's token is kept, for the minutes the policy says, in a
 * file only this user can read in the app's runtime folder, named for the
 * terminal session and the vault.
 */
// Synchronous fs (loaded with Node itself): this path is about starting fast, and the files are tiny.
import { closeSync, constants, lstatSync, openSync, readFileSync, readlinkSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { localApiDir, runtimeFileId } from '../core/api/socket-path.js';
import { KeywardError } from '../core/errors.js';
import type { CliMethod } from '../../shared/local-api.js';
import { connectVaultApp, type LocalApiClient } from './local-api-client.js';

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

/** The app cannot answer after all (it locked, integration was turned off, the user declined): open the file instead. */
export class AppUnavailable extends Error {}

/** Refusals that mean "ask the file, not the app". */
const UNAVAILABLE = ['FORBIDDEN', 'VAULT_LOCKED', 'AUTH_FAILED'];

/** Reads the saved session only from a regular file of this user's, readable by no one else (never through a link). */
function readSaved(file: string): { token?: string; expiresAt?: string } | null {
  try {
    const st = lstatSync(file);
    if (!st.isFile() || (typeof process.getuid === 'function' && st.uid !== process.getuid()) || (st.mode & 0o077) !== 0) return null;
    return JSON.parse(readFileSync(file, 'utf8')) as { token?: string; expiresAt?: string };
  } catch {
    return null;
  }
}

/** Writes it through a new temporary file (O_EXCL, 0600, never following a link), renamed over the old one. */
function writeSaved(file: string, data: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

function forget(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

export interface AppSession {
  call(method: Exclude<CliMethod, 'cli.open'>, params: Record<string, unknown>): Promise<unknown>;
  close(): void;
}

/**
 * A session with the app for this terminal, or null when the CLI should open
 * the file itself (no app, the app locked, integration off, or declined).
 */
export async function appSession(vaultPath: string): Promise<AppSession | null> {
  const vault = resolve(vaultPath);
  const terminal = terminalSession();
  const file = join(localApiDir(), `cli-${runtimeFileId(`${vault}\0${terminal.id}`)}.session`);
  const saved = readSaved(file);
  if (saved?.expiresAt && Date.parse(saved.expiresAt) <= Date.now()) forget(file);
  let token = saved?.token && saved.expiresAt && Date.parse(saved.expiresAt) > Date.now() ? saved.token : null;
  const client: LocalApiClient | null = await connectVaultApp(vault, token ?? 'cli');
  if (!client) return null;
  const open = async (): Promise<boolean> => {
    try {
      const made = (await client.call('cli.open', { terminal: terminal.label })) as { token: string; expiresAt: string };
      token = made.token;
      writeSaved(file, JSON.stringify(made));
      return true;
    } catch (err) {
      // Off, locked or declined: the CLI goes on by itself.
      if (err instanceof KeywardError && UNAVAILABLE.includes(err.code)) return false;
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
        if (!(err instanceof KeywardError && UNAVAILABLE.includes(err.code))) throw err;
        // The session ended (expired, the app restarted: once more, with a new approval), or the app locked or
        // integration was turned off: then the caller opens the file, as without the app.
        forget(file);
        if (err.code !== 'AUTH_FAILED' || !(await open())) throw new AppUnavailable(err.message);
        return client.callWith(token!, method, params);
      }
    },
    close: () => client.close(),
  };
}
