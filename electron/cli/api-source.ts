/**
 * Secrets by reference through the running app's local API, for a grant's
 * token (docs/local-api.md): the app answers what the grant covers, records
 * each use at once, and asks the user when the grant says "ask me each time"
 * — once for all the values one command needs.
 */
import type { SecretSource } from '../core/env/resolve.js';
import { nameKey } from '../core/vault/credential-index.js';
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
