/**
 * Notices when another process (the CLI, a sync tool) replaced the vault
 * file, so the app can pick up the change — and when the incidents beside it
 * changed (a CLI process's read opened one: the app responds too). Bursts of
 * events (a save is a write, a rename and an fsync) are folded into one call
 * after a short quiet.
 */
import { basename, dirname } from 'node:path';
import type { FolderWatch } from '../core/ports/folder-watch.js';
import type { TimerPort } from '../core/ports/timers.js';
import { vaultPaths } from '../core/vault/vault-paths.js';

const QUIET_MS = 150;

export class VaultFileWatcher {
  private watching: { close(): void } | null = null;
  private readonly pending = new Map<'vault' | 'incidents', unknown>();

  constructor(
    private readonly port: FolderWatch,
    private readonly timers: TimerPort,
    private readonly onChange: () => void,
    private readonly onIncidentsChange: () => void = () => undefined,
  ) {}

  start(vaultPath: string): void {
    this.stop();
    const file = basename(vaultPath);
    const incidents = basename(vaultPaths(vaultPath).audit.incidents);
    this.watching = this.port.watch(dirname(vaultPath), (name) => {
      if (name === file) this.changed('vault', this.onChange);
      else if (name === incidents) this.changed('incidents', this.onIncidentsChange);
    });
  }

  stop(): void {
    this.watching?.close();
    this.watching = null;
    for (const handle of this.pending.values()) this.timers.clearTimeout(handle);
    this.pending.clear();
  }

  private changed(what: 'vault' | 'incidents', then: () => void): void {
    const waiting = this.pending.get(what);
    if (waiting !== undefined) this.timers.clearTimeout(waiting);
    this.pending.set(
      what,
      this.timers.setTimeout(() => {
        this.pending.delete(what);
        then();
      }, QUIET_MS),
    );
  }
}
