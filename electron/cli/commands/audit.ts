/**
 * `keyward audit [SUBCOMMAND]`: the vault's tamper-evident trail
 * (docs/audit-format.md). Reading, verifying and exporting it are recorded in
 * it too. Each subcommand is one AuditSubcommand (its options, its help, its
 * handler), listed in SUBCOMMANDS; `audit` alone lists the records.
 */
import { fail } from '../../core/errors.js';
import { emit, type Flags } from '../output.js';
import { printTable, safeText } from '../terminal.js';
import { checkpoint, checkpointAgainst } from './audit-checkpoint.js';
import { retention } from './audit-retention.js';
import { failClosed } from './audit-fail-closed.js';
import { exportTrail } from './audit-export.js';
import { forwardTrail } from './audit-forward.js';
import { FILTER_OPTIONS, filterOf, type AuditSubcommand } from './audit-subcommand.js';
import type { CommandFamily, OptionSpecs, UnlockedInvocation } from './spec.js';
import { usageCommand } from './usage.js';

const verify: AuditSubcommand = {
  name: 'verify',
  options: { against: { type: 'string', value: 'FILE' } },
  synopsis: 'audit verify [--against FILE]',
  summary: 'check the trail: any changed, missing, added or reordered record is named (exit 5); --against also checks a checkpoint made earlier',
  async run({ vault, flags, o }) {
    const against = await checkpointAgainst(flags);
    const report = await vault.verifyAuditTrail(against);
    emit(o, report, () =>
      report.intact
        ? `The audit trail is intact: ${report.records} record${report.records === 1 ? '' : 's'}, each chained to the one before, matching its head and the vault's anchor${against === undefined ? '' : ', and holding every record the checkpoint signed'}.`
        : [`The audit trail is NOT intact (${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}):`, ...report.problems.map((p) => `  ${p.kind}${p.line ? ` at line ${p.line}` : ''}: ${p.message}`)].join('\n'),
    );
    if (!report.intact) throw fail.corrupted('The audit trail failed verification.');
  },
};

/** `keyward audit NAME`, in the order the help lists them. */
const SUBCOMMANDS: readonly AuditSubcommand[] = [verify, checkpoint, retention, failClosed, exportTrail, forwardTrail];

const AUDIT_OPTIONS: OptionSpecs = Object.assign({}, FILTER_OPTIONS, ...SUBCOMMANDS.map((s) => s.options));

/** An option of another audit subcommand is an error here, not silently ignored. */
function refuseForeignOptions(flags: Flags, accepted: OptionSpecs, usage: string): void {
  const foreign = Object.keys(flags).filter((name) => name in AUDIT_OPTIONS && !(name in accepted));
  if (foreign.length) throw fail.badRequest(`${usage} does not take ${foreign.map((name) => `--${name}`).join(', ')}.`);
}

async function audit(call: UnlockedInvocation) {
  const [sub] = call.args;
  if (sub !== undefined) {
    const subcommand = SUBCOMMANDS.find((s) => s.name === sub);
    if (!subcommand) throw fail.badRequest(`audit takes ${SUBCOMMANDS.map((s) => `"${s.name}"`).join(', ')} or nothing (got "${safeText(sub)}").`);
    refuseForeignOptions(call.flags, subcommand.options, `keyward audit ${subcommand.name}`);
    return subcommand.run(call);
  }
  refuseForeignOptions(call.flags, FILTER_OPTIONS, 'keyward audit');
  const { vault, flags, o } = call;
  const entries = await vault.auditRecords(filterOf(flags));
  emit(o, entries, () =>
    entries.length
      ? printTable(
          entries.map((e) => [String(e.seq), e.at.replace('T', ' ').slice(0, 19), e.actor, e.action, e.credential ?? '', e.outcome === 'success' ? 'ok' : `failed (${e.code ?? '?'})`, e.locked ? 'while locked' : '']),
          ['SEQ', 'TIME (UTC)', 'ACTOR', 'ACTION', 'CREDENTIAL', 'OUTCOME', ''],
        )
      : 'No audit records match.',
  );
}

export const auditCommands: CommandFamily = {
  title: 'Audit',
  commands: [
    {
      name: 'audit',
      args: [`[${SUBCOMMANDS.map((s) => s.name).join('|')}]`],
      options: AUDIT_OPTIONS,
      synopsis: 'audit [--since T] [--until T] [--action A] [--actor A] [--credential NAME] [--outcome success|failure] [--limit N]',
      summary: 'the vault\'s audit trail, oldest first (an action ending in "." matches every action it starts)',
      alsoAs: SUBCOMMANDS.map(({ synopsis, summary }) => ({ synopsis, summary })),
      needs: 'vault',
      run: audit,
    },
    usageCommand,
  ],
};
