/**
 * `keyward audit checkpoint --out FILE`, and what `audit verify --against FILE`
 * reads: signed checkpoints of the trail (docs/audit-format.md §8), the
 * witness kept away from the vault's files.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fail } from '../../core/errors.js';
import { emit, type Flags } from '../output.js';
import type { AuditSubcommand } from './audit-subcommand.js';

/** A checkpoint is a few hundred bytes; anything much larger is not one. */
const MAX_CHECKPOINT_BYTES = 64 * 1024;

export const checkpoint: AuditSubcommand = {
  name: 'checkpoint',
  options: { out: { type: 'string', value: 'FILE' } },
  synopsis: 'audit checkpoint --out FILE',
  summary: 'write a signed checkpoint of the trail (a C2SP signed note) to keep away from the vault; "audit verify --against FILE" checks it later',
  async run({ vault, flags, o }) {
    const out = flags.out === undefined ? undefined : String(flags.out);
    if (!out) throw fail.badRequest('audit checkpoint needs --out FILE: where to write the checkpoint (somewhere the vault is not).');
    const made = await vault.auditCheckpoint();
    try {
      // A checkpoint already there is an earlier witness: never written over.
      await writeFile(out, made.text, { flag: 'wx', mode: 0o644 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw fail.exists(`${out} already exists; an earlier checkpoint is evidence, so it is not written over. Choose another file name.`);
      throw fail.badRequest(`Cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? 'error'}.`);
    }
    emit(o, { file: out, origin: made.origin, size: made.size, root: made.root, verifierKey: made.verifierKey }, () =>
      [
        `Wrote a signed checkpoint of ${made.size} record${made.size === 1 ? '' : 's'} to ${out}.`,
        'Keep it away from this computer (mail it, print it, commit it). Later, "keyward audit verify --against FILE" proves the trail still holds these records unchanged.',
        `Verifier key (for signed-note tools): ${made.verifierKey}`,
      ].join('\n'),
    );
  },
};

/** The text of the checkpoint `--against FILE` names; undefined without the option. */
export async function checkpointAgainst(flags: Flags): Promise<string | undefined> {
  if (flags.against === undefined) return undefined;
  const path = String(flags.against);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw fail.badRequest(`Cannot read the checkpoint ${path}.`);
  }
  if (bytes.length > MAX_CHECKPOINT_BYTES) throw fail.badRequest(`${path} is ${bytes.length} bytes: too large to be a checkpoint.`);
  return bytes.toString('utf8');
}
