/**
 * `keyward get NAME` through the running app, loaded without the rest of the
 * CLI (launcher.ts): the app's session for this terminal (app-session.ts),
 * one request, the value on stdout. Null when the app cannot answer (absent,
 * locked, integration off, declined): the whole CLI then opens the file.
 */
import { toErrorInfo } from '../core/errors.js';
import { defaultVaultPath } from '../core/vault/vault-paths.js';
import { safeText } from '../core/text/safe-text.js';
import { AppUnavailable, appSession } from './app-session.js';
import { exitCodeFor } from './exit-codes.js';

export async function fastGet(get: { vault: string | null; name: string; json: boolean }): Promise<number | null> {
  let app;
  try {
    app = await appSession(get.vault ?? defaultVaultPath());
  } catch (err) {
    // A socket that is not this user's alone is said, not passed over.
    const info = toErrorInfo(err);
    process.stderr.write(`keyward: ${safeText(info.message)}\n`);
    return exitCodeFor(info.code);
  }
  if (!app) return null;
  try {
    const { value } = (await app.call('cli.get', { name: get.name })) as { value: string };
    process.stdout.write(`${get.json ? JSON.stringify({ name: get.name, value }, null, 2) : value}\n`);
    return 0;
  } catch (err) {
    if (err instanceof AppUnavailable) return null;
    // As the whole CLI says it: one line, no stack trace.
    const info = toErrorInfo(err);
    process.stderr.write(`keyward: ${safeText(info.message)}\n`);
    return exitCodeFor(info.code);
  } finally {
    app.close();
  }
}
