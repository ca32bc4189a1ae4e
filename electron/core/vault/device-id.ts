/**
 * This installation's device id, for the stamps of what it changes
 * (hlc.ts): 16 hex characters, made once and kept in the user's state folder.
 * Without a state folder (tests of the file alone) each process makes its own.
 */
import { join } from 'node:path';
import type { FileSystem } from '../ports/file-system.js';
import type { Random } from '../ports/random.js';

const DEVICE_ID = /^[0-9a-f]{16}$/;
const cached = new Map<string, Promise<string>>();
let processDevice: string | null = null;

export function deviceId(fs: FileSystem, stateDir: string | null, random: Random): Promise<string> {
  if (!stateDir) return Promise.resolve((processDevice ??= random.bytes(8).toString('hex')));
  let found = cached.get(stateDir);
  if (!found) {
    found = readOrMake(fs, join(stateDir, 'device'), stateDir, random);
    cached.set(stateDir, found);
    found.catch(() => cached.delete(stateDir));
  }
  return found;
}

async function readOrMake(fs: FileSystem, path: string, dir: string, random: Random): Promise<string> {
  const existing = (await fs.readFile(path))?.toString('utf8').trim();
  if (existing && DEVICE_ID.test(existing)) return existing;
  await fs.ensureDir(dir);
  const made = random.bytes(8).toString('hex');
  // Two processes making one at once: the first file wins, and both use what it holds.
  if (!(await fs.createExclusive(path, Buffer.from(`${made}\n`, 'utf8')))) {
    const raced = (await fs.readFile(path))?.toString('utf8').trim();
    if (raced && DEVICE_ID.test(raced)) return raced;
  }
  return made;
}
