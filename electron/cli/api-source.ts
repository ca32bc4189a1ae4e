/**
 * Secrets by reference through the running app's local API
 * (docs/local-api.md): for a grant's token, what the grant covers (the app
 * records each use at once, and asks the user when the grant says "ask me
 * each time" — once for all the values one command needs); for the CLI
 * through the app, the user's vault as the app has it open.
 */
import type { SecretSource } from '../core/env/resolve.js';
import { nameKey } from '../core/vault/credential-index.js';
import { AppUnavailable, type AppSession } from './app-session.js';
import { KeywardError } from '../core/errors.js';
import type { LocalApiClient } from './local-api-client.js';

interface Listed {
  name: string;
  fields: Record<string, string>;
}

export async function apiSource(client: LocalApiClient): Promise<SecretSource> {
  const who = (await client.call('whoami')) as { grant: string };
  const listed = (await client.call('list')) as Listed[];
  const byName = new Map(listed.map((c) => [nameKey(c.name), c]));
  return {
    where: `that the grant "${who.grant}" covers`,
    fieldsOf: (name) => byName.get(nameKey(name))?.fields ?? null,
    value: async (name, purpose) => ((await client.call('resolve', { names: [name], purpose })) as { values: string[] }).values[0]!,
    values: async (names, purpose, command) => ((await client.call('resolve', { names, purpose, ...(command ? { command } : {}) })) as { values: string[] }).values,
    field: async (name, field) => byName.get(nameKey(name))?.fields[field] ?? '',
  };
}

/**
 * Values from the app. The app never hands over a value a custom rule keeps
 * from plain text (POLICY): for `keyward run`, which may inject it, the CLI
 * then opens the vault file itself (AppUnavailable), as its owner.
 */
async function resolveThroughApp(app: AppSession, names: string[], purpose: 'run' | 'value'): Promise<string[]> {
  try {
    return ((await app.call('cli.resolve', { names, purpose })) as { values: string[] }).values;
  } catch (err) {
    if (purpose === 'run' && err instanceof KeywardError && err.code === 'POLICY') throw new AppUnavailable(err.message);
    throw err;
  }
}

/** The vault the app has open, for this terminal's session (the CLI through the app): each value a reveal by the CLI, recorded by the app. */
export function appSessionSource(app: AppSession): SecretSource {
  const fields = new Map<string, Readonly<Record<string, string>> | null>();
  return {
    where: 'in this vault',
    async prepare(names) {
      const answer = (await app.call('cli.fields', { names })) as { fields: (Record<string, string> | null)[] };
      names.forEach((name, i) => fields.set(name, answer.fields[i] ?? null));
    },
    fieldsOf: (name) => fields.get(name) ?? null,
    value: async (name, purpose) => (await resolveThroughApp(app, [name], purpose))[0]!,
    values: (names, purpose) => resolveThroughApp(app, names, purpose),
    // A field is read as `show` reads it (recorded by the app).
    field: async (name, field) => ((await app.call('cli.show', { name })) as { fields: Record<string, string> }).fields[field] ?? '',
  };
}
