/**
 * Watching a folder for changes, as a port: the app notices another
 * process's save (the CLI's) without polling, and tests can drive it.
 * A folder, not the file: saves replace the file by rename, which a watch
 * on the file itself would lose.
 */
import { watch } from 'node:fs';

export interface FolderWatch {
  /** Calls `onChange` with the name of each entry that changed; null when the folder cannot be watched. */
  watch(dir: string, onChange: (name: string | null) => void): { close(): void } | null;
}

export const nodeFolderWatch: FolderWatch = {
  watch(dir, onChange) {
    try {
      const watcher = watch(dir, (_event, name) => onChange(name === null ? null : String(name)));
      // A watch that fails later (folder removed) simply stops; the next unlock starts a new one.
      watcher.on('error', () => watcher.close());
      return watcher;
    } catch {
      return null;
    }
  },
};
