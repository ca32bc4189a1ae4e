/** `keyward report --out FILE.html`: the security report (docs/security-report.md), printable to PDF. */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fail } from '../../core/errors.js';
import { reportHtml } from '../../core/report/report-html.js';
import { emit } from '../output.js';
import type { CommandFamily, UnlockedInvocation } from './spec.js';

async function report({ vault, flags, o }: UnlockedInvocation): Promise<void> {
  const out = flags.out === undefined ? undefined : String(flags.out);
  if (!out && !o.json) throw fail.badRequest('report needs --out FILE.html (or --json for the figures).');
  // Said before the report is made (and its reads recorded); 'wx' below still guards the race.
  if (out && !flags.force && existsSync(out)) throw fail.exists(`${out} already exists. Choose another name, or add --force to replace it.`);
  const made = await vault.securityReport();
  if (out) {
    try {
      await writeFile(out, reportHtml(made), { flag: flags.force ? 'w' : 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw fail.exists(`${out} already exists. Choose another name, or add --force to replace it.`);
      throw fail.badRequest(`Cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? 'error'}.`);
    }
  }
  emit(o, made, () =>
    [
      `Wrote the security report to ${out}: open it in a browser, and print it to PDF to file it.`,
      ...made.metrics.map((m) => `  ${m.title}: ${m.value}${m.status === 'bad' ? '  (act now)' : m.status === 'attention' ? '  (needs attention)' : ''}`),
    ].join('\n'),
  );
}

export const reportCommands: CommandFamily = {
  title: 'Reports',
  commands: [
    {
      name: 'report',
      args: [],
      options: { out: { type: 'string', value: 'FILE' }, force: { type: 'boolean' } },
      synopsis: 'report --out FILE.html [--force]',
      summary: 'the security report: strength, reuse, rotation compliance, stale and unused credentials, audit integrity, incidents and policy, each with the controls it supports evidence for (PCI DSS, ISO 27001, SOX, GDPR); never a value',
      needs: 'vault',
      run: report,
    },
  ],
};
