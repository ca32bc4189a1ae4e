/**
 * Small files of the app's own (which vault was last open, the window's
 * position) are private to the user, like the vault: created 0600 in a folder
 * created 0700. A write goes to a new temp file that is renamed over the old
 * one, so the result is 0600 whatever mode an older version left behind, and a
 * crash leaves the old file or the new, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

export function writePrivateFileSync(file: string, data: string): void {
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, data, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    // The umask can only take bits away; make it exactly 0600.
    chmodSync(temp, PRIVATE_FILE_MODE);
    renameSync(temp, file);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      /* never created */
    }
    throw err;
  }
}

/** Takes group and other access away from an existing file (one an older version wrote 0644). */
export function tightenFileMode(file: string): void {
  try {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, PRIVATE_FILE_MODE);
  } catch {
    /* no such file, or not ours to change */
  }
}
