/**
 * `keyward audit export --out FILE [--format F] [--since T] [--until T]
 * [--with-names]`: the trail in a format a SIEM reads (docs/siem.md),
 * written atomically with mode 0600. Reading the trail for it is recorded as
 * `audit.export`. Credentials appear as their keyed ids unless --with-names.
 */
import { resolve } from 'node:path';
import { DEFAULT_FORMAT, exportRecords, FORMAT_NAMES, isExportFormat, KEYWARD_VERSION } from '../../core/audit/export/index.js';
import { fail } from '../../core/errors.js';
import { nodeFileSystem } from '../../core/ports/file-system.js';
import { emit } from '../output.js';
import { safeText } from '../terminal.js';
import type { AuditSubcommand } from './audit-subcommand.js';
import { FILTER_OPTIONS, isoOption } from './audit-subcommand.js';

/** Temp file beside it, fsync, rename over it: a reader never sees half an export, and it is created 0600 whatever was there. */
async function writeExport(file: string, text: string): Promise<void> {
  try {
    await nodeFileSystem.writeFileAtomic(file, Buffer.from(text, 'utf8'));
  } catch (err) {
    throw fail.badRequest(`Cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}.`, 'out');
  }
}

export const exportTrail: AuditSubcommand = {
  name: 'export',
  options: {
    format: { type: 'string', value: FORMAT_NAMES.join('|') },
    out: { type: 'string', value: 'FILE' },
    since: FILTER_OPTIONS.since,
    until: FILTER_OPTIONS.until,
    'with-names': { type: 'boolean' },
  },
  synopsis: `audit export --out FILE [--format ${FORMAT_NAMES.join('|')}] [--since T] [--until T] [--with-names]`,
  summary: 'write the trail for a SIEM: ECS JSON Lines (the default), CSV, CEF or OCSF; credentials as keyed ids unless --with-names (docs/siem.md)',
  async run({ vault, flags, o }) {
    // Everything checked before the trail is read (and the read recorded).
    const format = flags.format === undefined ? DEFAULT_FORMAT : String(flags.format);
    if (!isExportFormat(format)) throw fail.badRequest(`--format takes ${FORMAT_NAMES.join(', ')} (not "${format}").`, 'format');
    if (flags.out === undefined || String(flags.out) === '') throw fail.badRequest('audit export needs --out FILE: the file to write the export to.', 'out');
    const file = resolve(String(flags.out));
    const since = isoOption(flags, 'since');
    const until = isoOption(flags, 'until');
    const withNames = flags['with-names'] === true;

    const records = await vault.auditRecords({ ...(since ? { since } : {}), ...(until ? { until } : {}) }, 'audit.export');
    const replaced = (await nodeFileSystem.stat(file).catch(() => null)) !== null;
    await writeExport(file, exportRecords(format, records, { vaultId: vault.info.vaultId, productVersion: KEYWARD_VERSION, withNames }));

    const count = `${records.length} record${records.length === 1 ? '' : 's'}`;
    emit(o, { file, format, records: records.length, withNames, replaced }, () =>
      [
        `Exported ${count} as ${format} to ${safeText(file)} (mode 0600${replaced ? ', replacing the file that was there' : ''}).`,
        withNames ? 'Credential names are in it, in clear: keep the file as you would the vault.' : 'Credentials appear as keyed ids only; --with-names adds their names.',
      ].join('\n'),
    );
  },
};
