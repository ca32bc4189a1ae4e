/**
 * Where the CLI gets master passwords: --password-file, KEYWARD_PASSWORD (or
 * KEYWARD_NEW_PASSWORD), else a no-echo prompt on the terminal. Never argv.
 */
import { readFileSync, statSync } from 'node:fs';
import { fail } from '../core/errors.js';
import type { Flags } from './output.js';
import { promptHidden } from './terminal.js';

function stripNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function readPasswordFile(path: string): string {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    throw fail.badRequest(`Cannot read the password file ${path}.`);
  }
  // Like ssh with a private key: a master password that other users can read is no secret.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw fail.badRequest(`The password file ${path} can be read by other users; run "chmod 600 ${path}" and try again.`);
  try {
    return stripNewline(readFileSync(path, 'utf8'));
  } catch {
    throw fail.badRequest(`Cannot read the password file ${path}.`);
  }
}

/** The master password given without asking (--password-file, else KEYWARD_PASSWORD), or null. */
export function explicitPassword(flags: Flags): string | null {
  if (flags['password-file']) return readPasswordFile(flags['password-file'] as string);
  return process.env.KEYWARD_PASSWORD || null;
}

/** A new master password: from the file option or the variable named, else typed twice. */
export async function askNewPassword(flags: Flags, envName: string, fileFlag: string): Promise<string> {
  if (flags[fileFlag]) return readPasswordFile(flags[fileFlag] as string);
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  const first = await promptHidden('New master password: ');
  const second = await promptHidden('Repeat it: ');
  if (first !== second) throw fail.badRequest('The two passwords differ; nothing was changed.');
  return first;
}
