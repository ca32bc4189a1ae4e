/** `keyward usage [NAME]`: how credentials are used, from the audit trail. */
import type { UsageView } from '../../../shared/ipc/audit.js';
import { emit } from '../output.js';
import { printTable, safeText } from '../terminal.js';
import type { CommandSpec, UnlockedInvocation } from './spec.js';

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : 'never');

/** The per-day reads as one line of bars (▁…█), oldest left: a chart a terminal can show. */
export function sparkline(values: readonly number[]): string {
  const bars = '▁▂▃▄▅▆▇█';
  const top = Math.max(...values, 0);
  return values.map((v) => (v === 0 ? '·' : bars[Math.min(bars.length - 1, Math.floor((v / top) * (bars.length - 1)))])).join('');
}

function usageText(u: UsageView, one: boolean): string {
  const total = u.readsPerDay.reduce((sum, d) => sum + d.reads, 0);
  const parts = [
    `Value reads, the last ${u.readsPerDay.length} days (${u.readsPerDay[0]?.day} to ${u.readsPerDay.at(-1)?.day}): ${total}  ${sparkline(u.readsPerDay.map((d) => d.reads))}`,
    u.credentials.length
      ? printTable(
          u.credentials.map((c) => [safeText(c.name), String(c.reads), String(c.reads7d), String(c.reads30d), day(c.lastUsedAt), Object.entries(c.byActor).map(([a, n]) => `${a} ${n}`).join(', ')]),
          ['CREDENTIAL', 'READS', '7 DAYS', '30 DAYS', 'LAST USED', 'BY'],
        )
      : one
        ? 'Its value was never read (since the trail began).'
        : 'No value has been read (since the trail began).',
  ];
  if (!one && u.neverUsed.length) parts.push(`Never used (${u.neverUsed.length}): ${u.neverUsed.slice(0, 50).map((c) => safeText(c.name)).join(', ')}${u.neverUsed.length > 50 ? ', …' : ''}`);
  if (!one) parts.push(printTable(u.actors.map((a) => [a.actor, String(a.operations), String(a.reads), day(a.lastSeenAt)]), ['ACTOR', 'OPERATIONS', 'VALUE READS', 'LAST SEEN']));
  if (u.since) parts.push(`(The trail begins ${u.since.replace('T', ' ').slice(0, 19)} UTC.)`);
  return parts.join('\n\n');
}

export const usageCommand: CommandSpec = {
  name: 'usage',
  args: ['[NAME]'],
  options: {},
  summary: 'how often and how lately each credential was used, by whom, and which were never used (from the audit trail)',
  needs: 'vault',
  async run({ vault, args: [name], o }: UnlockedInvocation) {
    const usage = await vault.usage(name);
    emit(o, usage, () => usageText(usage, name !== undefined));
  },
};
