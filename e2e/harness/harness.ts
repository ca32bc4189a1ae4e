/**
 * keyward harness — serves the built renderer against the real main-process
 * services on 127.0.0.1, for end-to-end tests and for driving the UI from any
 * browser. Usage: npm run start:harness -- --vault FILE [--port N] [--no-keychain]
 * The first line of output is the URL to open (token included).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parallelSegmentChecker } from '../../electron/core/audit/segment-check.js';
import { workerRunner } from '../../electron/app/health-runner.js';
import { AppController } from '../../electron/app/app-controller.js';
import { realVaultDeps } from '../../electron/core/composition.js';
import { defaultVaultPath } from '../../electron/core/vault/vault-paths.js';
import { localApiSocketPath } from '../../electron/core/api/socket-path.js';
import { createDispatcher } from '../../electron/ipc/dispatcher.js';
import { handlersFor } from '../../electron/ipc/handlers/index.js';
import type { KeywardEvent } from '../../shared/ipc/contract.js';
import { startServer, type HarnessServer } from './server.js';
import { xclipClipboard } from './xclip-clipboard.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      vault: { type: 'string' },
      port: { type: 'string', default: '0' },
      'no-keychain': { type: 'boolean' },
      'renderer-dir': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port takes a number from 0 to 65535');

  let server: HarnessServer | null = null;
  const pending: KeywardEvent[] = [];
  const controller = new AppController({
    vaultPath: values.vault ?? defaultVaultPath(),
    deps: realVaultDeps({ useKeychain: !values['no-keychain'], compactInBackground: true }),
    clipboard: xclipClipboard,
    actor: 'harness',
    healthRunner: workerRunner(join(__dirname, 'health-worker.cjs')),
    segmentChecker: parallelSegmentChecker(join(__dirname, 'segment-check-worker.cjs')),
    watchFile: true,
    emit: (event) => (server ? server.publish(event) : pending.push(event)),
    // The local API, served as the app serves it; approvals are asked in the page (there is no native dialog here).
    localApiSocket: (path) => localApiSocketPath(path),
  });
  const socket = await controller.startLocalApi();
  server = await startServer({
    port,
    rendererDir: values['renderer-dir'] ?? join(__dirname, '..', 'renderer'),
    bridgeScript: join(__dirname, 'bridge.js'),
    // Only user input counts as activity: the page pings app.activity on pointer and keyboard events.
    dispatch: (origin) => createDispatcher(handlersFor(controller), origin, () => controller.credentialsDecoded()),
  });
  process.stdout.write(`${server.url}\n`);
  process.stdout.write(`Keyward harness: vault ${controller.vaultPath}; serving the renderer on ${server.origin}${socket ? ` and the local API on ${socket}` : ''} (Ctrl-C to stop)\n`);

  const stop = () => {
    void controller
      .shutdown()
      .then(() => server?.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`keyward harness: ${err instanceof Error ? err.message : 'failed to start'}\n`);
  process.exit(1);
});
