/**
 * A rolling set of backups beside the vault, each exactly a previous vault
 * file: encrypted, checksummed, restorable. A save that replaces the file
 * (a compaction, a new header) first hard-links the file it replaces into the
 * backups folder, which costs no copy. A save that appends a record changes
 * the file in place, so its backup must be a copy (`preserveCopy`): the
 * session makes one before a save of a small vault, and of a large one when
 * the newest backup is older than an interval (vault-session.ts).
 *
 * "Newest" means highest generation (the header counter each save increments),
 * never the time in the name: the stamp comes from the wall clock, which can be
 * wrong, so it only breaks ties between equal generations.
 *
 * A file in the folder that fails its checksum (the damaged vault a restore set
 * aside, or a backup damaged since) is listed with `intact: false`: never
 * offered for restore, and it takes no backup's place when pruning.
 */
import { join } from 'node:path';
import type { BackupInfo } from '../../../shared/domain.js';
import { fail } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { PARTIAL_SUFFIX, type FileSystem } from '../ports/file-system.js';
import { checkVaultFilePaced } from './format/index.js';
import type { VaultPaths } from './vault-paths.js';

const BACKUP_NAME = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)\.g(\d+)\.keyward$/;

function stampToIso(stamp: string): string {
  return stamp.replace(/^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/, '$1:$2:$3.$4Z');
}

function compare<T>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Entry {
  info: BackupInfo;
  generation: number;
  stamp: string;
}

/** Generation first; the (clock-dependent) stamp and then the name only break ties. */
function newestFirst(a: Entry, b: Entry): number {
  return compare(b.generation, a.generation) || compare(b.stamp, a.stamp) || compare(b.info.file, a.info.file);
}

const intactVerdicts = new Map<string, boolean>();

export class Backups {
  constructor(
    private readonly fs: FileSystem,
    private readonly clock: Clock,
    private readonly paths: VaultPaths,
  ) {}

  /** Preserves the current vault file (generation `generation`) before it is replaced; the backup's name, or null when there was no file. */
  async preserveCurrent(generation: number): Promise<string | null> {
    if (!(await this.fs.stat(this.paths.vault))) return null;
    await this.fs.ensureDir(this.paths.backupsDir);
    const name = await this.freeNameFor(generation);
    await this.fs.linkOrCopy(this.paths.vault, join(this.paths.backupsDir, name));
    return name;
  }

  /**
   * Replaces the vault file with `data` atomically, the file it replaces
   * hard-linked into the backups first. If the replace fails after the link
   * was made, the link goes again when it still names the live file: a v2
   * file is appended to in place, and a backup sharing its bytes would change with it.
   */
  async replaceVault(data: readonly Buffer[], generation: number): Promise<void> {
    let linked: string | null = null;
    try {
      await this.fs.writeFileAtomic(this.paths.vault, data, {
        beforeReplace: async () => {
          linked = await this.preserveCurrent(generation);
        },
      });
    } catch (err) {
      if (linked) {
        const backup = await this.fs.stat(join(this.paths.backupsDir, linked)).catch(() => null);
        const live = await this.fs.stat(this.paths.vault).catch(() => null);
        if (backup && live && backup.ino === live.ino) await this.fs.unlink(join(this.paths.backupsDir, linked)).catch(() => undefined);
      }
      throw err;
    }
  }

  /**
   * Copies the current vault file (generation `generation`) into the backups
   * folder before it is appended to in place (a hard link would share the
   * bytes the append changes).
   */
  async preserveCopy(generation: number): Promise<void> {
    if (!(await this.fs.stat(this.paths.vault))) return;
    await this.fs.ensureDir(this.paths.backupsDir);
    await this.fs.copy(this.paths.vault, join(this.paths.backupsDir, await this.freeNameFor(generation)));
  }

  /** When the newest backup (by generation) was made, from the names alone (nothing is read); null when there is none. */
  async newestMadeAt(): Promise<Date | null> {
    let newest: { generation: number; stamp: string } | null = null;
    for (const entry of await this.named()) {
      if (!newest || entry.generation > newest.generation || (entry.generation === newest.generation && entry.stamp > newest.stamp)) newest = entry;
    }
    return newest ? new Date(stampToIso(newest.stamp)) : null;
  }

  /** The files whose names are backups' names, with the generation and time their names say (nothing is read). */
  private async named(): Promise<{ file: string; generation: number; stamp: string }[]> {
    const found: { file: string; generation: number; stamp: string }[] = [];
    for (const file of await this.fs.list(this.paths.backupsDir)) {
      const match = BACKUP_NAME.exec(file);
      if (match) found.push({ file, generation: Number(match[2]), stamp: match[1]! });
    }
    return found;
  }

  /** The backups whose names say a generation above `generation`, highest first (nothing is read: a name may lie, its header does not). */
  async namedAbove(generation: number): Promise<string[]> {
    return (await this.named())
      .filter((f) => f.generation > generation)
      .sort((a, b) => b.generation - a.generation)
      .map((f) => f.file);
  }

  /**
   * A name no file has yet (the caller holds the write lock): the same
   * generation preserved twice within one millisecond — a restore of a backup
   * as it is made, or a clock set back — takes the next millisecond instead
   * of failing the save.
   */
  private async freeNameFor(generation: number): Promise<string> {
    for (let laterMs = 0; ; laterMs++) {
      const name = this.nameFor(generation, laterMs);
      if (laterMs >= 1000 || !(await this.fs.stat(join(this.paths.backupsDir, name)))) return name;
    }
  }

  private nameFor(generation: number, laterMs = 0): string {
    const stamp = new Date(this.clock.now().getTime() + laterMs).toISOString().replace(/[:.]/g, '-');
    return `${stamp}.g${String(generation).padStart(8, '0')}.keyward`;
  }

  /** Every file, each marked intact or not. Newest first: highest generation first, equal generations by stamp (then name). */
  async list(): Promise<BackupInfo[]> {
    const entries: Entry[] = [];
    for (const { file, generation, stamp } of await this.named()) {
      const stat = await this.fs.stat(join(this.paths.backupsDir, file));
      if (!stat) continue;
      const iso = stampToIso(stamp);
      const intact = await this.isIntact(file);
      entries.push({ info: { file, createdAt: iso, sizeBytes: stat.size, generation, intact }, generation, stamp });
    }
    return entries.sort(newestFirst).map((e) => e.info);
  }

  /** Backups whose container is intact (checksum verified), newest first. */
  async listIntact(): Promise<BackupInfo[]> {
    return (await this.list()).filter((b) => b.intact);
  }

  async read(file: string): Promise<Buffer> {
    if (!BACKUP_NAME.test(file)) throw fail.badRequest(`"${file}" is not a Keyward backup name.`, 'file');
    const data = await this.fs.readFile(join(this.paths.backupsDir, file));
    if (!data) throw fail.notFound(`No backup named ${file}.`);
    return data;
  }

  /**
   * Keeps the `keep` (at least 1) newest intact backups by generation — never by the clock —
   * and deletes every file older than the oldest of them. A damaged file takes no slot: one
   * newer than the oldest kept backup stays (evidence); older ones go with the old backups.
   */
  async prune(keep: number): Promise<void> {
    // A copy a crash cut short (file-system.ts copyIntoPlace): never a backup, and no copy is under way now (the
    // caller holds the write lock).
    for (const file of await this.fs.list(this.paths.backupsDir)) if (file.endsWith(PARTIAL_SUFFIX)) await this.fs.unlink(join(this.paths.backupsDir, file));
    const all = await this.list();
    const kept = all.filter((b) => b.intact).slice(0, Math.max(keep, 1));
    // With no intact backup at all, every file counts as one (nothing better to keep).
    const cut = kept.length ? all.indexOf(kept.at(-1)!) + 1 : Math.max(keep, 1);
    for (const old of all.slice(cut)) await this.fs.unlink(join(this.paths.backupsDir, old.file));
  }

  /**
   * Whether a backup passes its checksums. Verdicts are kept by path, size,
   * time and inode: backups are never changed in place, so pruning after every
   * save of a small vault does not re-hash ten files each time.
   */
  private async isIntact(file: string): Promise<boolean> {
    const path = join(this.paths.backupsDir, file);
    const stat = await this.fs.stat(path);
    if (!stat) return false;
    const key = `${path}\0${stat.size}\0${stat.mtimeMs}\0${stat.ino}`;
    const known = intactVerdicts.get(key);
    if (known !== undefined) return known;
    const data = await this.fs.readFile(path);
    if (!data) return false;
    let intact: boolean;
    try {
      await checkVaultFilePaced(data);
      intact = true;
    } catch {
      intact = false;
    }
    if (intactVerdicts.size > 1000) intactVerdicts.clear();
    intactVerdicts.set(key, intact);
    return intact;
  }
}
