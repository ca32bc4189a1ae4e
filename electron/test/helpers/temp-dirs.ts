/** Real temporary folders for real files, removed after each test. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

/**
 * Registers cleanup in the calling test file and returns a maker of fresh
 * folders under the OS temp dir. Call it at the top level of a test file.
 * Folders are removed after each test, or after all of them for folders that
 * a `beforeAll` shares between tests.
 */
export function useTempDirs(prefix = 'keyward-test-', removeAfter: 'each' | 'all' = 'each'): () => Promise<string> {
  const made: string[] = [];
  (removeAfter === 'each' ? afterEach : afterAll)(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
