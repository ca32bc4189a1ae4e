/**
 * `keyward mcp`: serves the Model Context Protocol over stdio for one grant
 * (docs/mcp.md). The server lives in its own bundle beside the CLI's
 * (mcp.cjs), loaded only by this command: no other command pays for the SDK.
 */
import { join } from 'node:path';
import { KeywardError } from '../../core/errors.js';
import type { CommandFamily, Invocation } from './spec.js';

async function mcp({ lifecycle }: Invocation): Promise<void> {
  const token = process.env.KEYWARD_TOKEN;
  // Never the master password, even when one is in the environment: a model's tools get a grant's scope, nothing more.
  if (!token)
    throw new KeywardError('AUTH_FAILED', 'keyward mcp runs only with a grant’s token in KEYWARD_TOKEN ("keyward grant add NAME --role viewer|runner|reader …" makes one); it never uses the master password.');
  // A bundle beside this one, loaded at run time (not bundled into it): require, not import, so esbuild leaves it be.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { serveMcpOverStdio } = require(join(__dirname, 'mcp.cjs')) as typeof import('../mcp/mcp-server.js');
  try {
    await serveMcpOverStdio({ vaultPath: lifecycle.path, token, version: KEYWARD_VERSION });
  } catch (err) {
    // The server's bundle has its own core, so its refusals are not this bundle's KeywardError: carried over by code.
    const e = err as { code?: unknown; message?: unknown; toInfo?: unknown };
    if (typeof e?.toInfo === 'function' && typeof e.code === 'string' && typeof e.message === 'string') throw new KeywardError(e.code as KeywardError['code'], e.message);
    throw err;
  }
}

export const mcpCommands: CommandFamily = {
  title: 'Model Context Protocol',
  commands: [
    {
      name: 'mcp',
      args: [],
      options: {},
      summary: 'serve the Model Context Protocol over stdio for the grant whose token is in KEYWARD_TOKEN (never the master password)',
      notes: [
        'Tools: list_credentials, vault_health, due_rotations, get_alerts, get_credential_value (reader and up), run_with_secrets (runner and up, allowed commands only, output masked).',
        'Resources keyward://alerts, keyward://health and keyward://due can be subscribed to: changes are pushed. docs/mcp.md has client configurations.',
      ],
      needs: 'nothing',
      run: mcp,
    },
  ],
};
