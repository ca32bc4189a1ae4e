/**
 * `keyward env` and `keyward inject`: a program's secrets from the vault,
 * named by reference (kw://NAME[/FIELD]; docs/env.md) instead of written
 * into its configuration. Every value read is recorded in the audit trail.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { locate, readReferences } from '../../core/env/resolve.js';
import { checkVariableName, parseReference, shellQuote, TEMPLATE_REFERENCE, variableFor, type SecretReference } from '../../core/env/references.js';
import { fail } from '../../core/errors.js';
import { nodeFileSystem } from '../../core/ports/file-system.js';
import { safeText } from '../terminal.js';
import type { CommandFamily, UnlockedInvocation } from './spec.js';

/** `VAR=REF` or a bare `REF` (the variable then named after it), each variable once. */
function assignments(args: readonly string[]): { variable: string; ref: SecretReference }[] {
  const seen = new Set<string>();
  return args.map((arg) => {
    const eq = arg.indexOf('=');
    // A name may hold "=" only in the VAR=REF form's REF; a bare kw:// reference never starts with a variable.
    const [variable, text] = eq > 0 && !arg.startsWith('kw://') ? [arg.slice(0, eq), arg.slice(eq + 1)] : [null, arg];
    const ref = parseReference(text);
    const name = variable ?? variableFor(ref);
    checkVariableName(name);
    if (seen.has(name)) throw fail.badRequest(`${name} is given twice: name each variable once.`);
    seen.add(name);
    return { variable: name, ref };
  });
}

async function env({ vault, args, o }: UnlockedInvocation): Promise<void> {
  if (args.length === 0) throw fail.badRequest('env takes one or more references: NAME, kw://NAME[/FIELD], or VAR=REF.');
  const wanted = assignments(args);
  // Every reference is checked before any value is read: one that names nothing reads nothing.
  const located = locate(vault, wanted.map((w) => w.ref));
  const values = await readReferences(vault, located);
  const lines = wanted.map((w, i) => `export ${w.variable}=${shellQuote(values[i]!)}`);
  if (o.json) o.out(JSON.stringify(Object.fromEntries(wanted.map((w, i) => [w.variable, values[i]!]))));
  else o.out(lines.join('\n'));
}

async function inject({ vault, flags, o }: UnlockedInvocation): Promise<void> {
  if (typeof flags.in !== 'string' || typeof flags.out !== 'string') throw fail.badRequest('inject takes --in TEMPLATE and --out FILE.');
  const template = await readFile(resolve(flags.in), 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw fail.badRequest(`The template ${safeText(flags.in as string)} cannot be read (${err.code ?? err.message}).`);
  });
  const texts = [...template.matchAll(TEMPLATE_REFERENCE)].map((m) => m[1]!);
  const unique = [...new Set(texts)];
  const located = locate(vault, unique.map(parseReference));
  const values = new Map(unique.map((t, i) => [t, i] as const));
  const read = await readReferences(vault, located);
  const filled = template.replace(TEMPLATE_REFERENCE, (_m, text: string) => read[values.get(text)!]!);
  const out = resolve(flags.out);
  const bytes = Buffer.from(filled, 'utf8');
  try {
    // Created for this user alone (0600), complete or not at all; never over a file unless --force.
    if (flags.force) await nodeFileSystem.writeFileAtomic(out, bytes);
    else if (!(await nodeFileSystem.createExclusive(out, bytes, { sync: true }))) throw fail.exists(`${safeText(flags.out)} exists; nothing was written. Use --force to replace it.`);
  } finally {
    bytes.fill(0);
  }
  if (o.json) o.out(JSON.stringify({ out, references: unique.length, replaced: texts.length }));
  else o.out(`Wrote ${safeText(flags.out)} (only you can read it): ${texts.length} reference${texts.length === 1 ? '' : 's'} filled from ${unique.length} credential value${unique.length === 1 ? '' : 's'}.`);
}

export const envCommands: CommandFamily = {
  title: 'Secrets for programs',
  commands: [
    {
      name: 'env',
      args: ['REF…'],
      options: {},
      synopsis: 'env REF|VAR=REF...',
      summary: "export VAR='value' lines a POSIX shell evaluates exactly (eval \"$(keyward env …)\"); REF is NAME or kw://NAME[/FIELD]",
      notes: ['A bare REF is exported as its name in capitals ("stripe-prod" → STRIPE_PROD); KEYWARD_* names are refused. Each value read is recorded.'],
      needs: 'vault',
      run: env,
    },
    {
      name: 'inject',
      args: [],
      options: { in: { type: 'string', value: 'TEMPLATE' }, out: { type: 'string', value: 'FILE' }, force: { type: 'boolean' } },
      synopsis: 'inject --in TEMPLATE --out FILE [--force]',
      summary: 'fill {{ kw://NAME[/FIELD] }} references in a config file into FILE, created readable by you alone (0600); never over a file unless --force',
      needs: 'vault',
      run: inject,
    },
  ],
};
