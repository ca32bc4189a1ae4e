/**
 * Notices when another process (the CLI, a sync tool) replaced the vault
 * file, so the app can pick up the change. Bursts of events (a save is a
 * write, a rename and an fsync) are folded into one call after a short quiet.
 */
import { basename, dirname } from 'node:path';
import type { FolderWatch } from '../core/ports/folder-watch.js';
import type { TimerPort } from '../core/ports/timers.js';

const QUIET_MS = 150;

export class VaultFileWatcher {
  private watching: { close(): void } | null = null;
  private pending: unknown = null;

  constructor(
    private readonly port: FolderWatch,
    private readonly timers: TimerPort,
    private readonly onChange: () => void,
  ) {}

  start(vaultPath: string): void {
    this.stop();
    const file = basename(vaultPath);
    this.watching = this.port.watch(dirname(vaultPath), (name) => {
      if (name === file) this.changed();
    });
  }

  stop(): void {
    this.watching?.close();
    this.watching = null;
    if (this.pending !== null) this.timers.clearTimeout(this.pending);
    this.pending = null;
  }

  private changed(): void {
    if (this.pending !== null) this.timers.clearTimeout(this.pending);
    this.pending = this.timers.setTimeout(() => {
      this.pending = null;
      this.onChange();
    }, QUIET_MS);
  }
}
