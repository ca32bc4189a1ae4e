/**
 * Builds and drives the save-loop child (helpers/save-loop-child.ts): a real
 * Node process adding credentials through the core and acknowledging each
 * saved name on stdout.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './paths.js';

/** Bundles the child into `outDir` and returns the script's path. */
export async function buildSaveLoopChild(outDir: string): Promise<string> {
  const outfile = join(outDir, 'save-loop-child.cjs');
  await build({
    entryPoints: [join(repoRoot, 'electron/test/helpers/save-loop-child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['keytar'],
    logLevel: 'silent',
  });
  return outfile;
}

export interface SaveLoopRun {
  /** Names whose save resolved before the process died, in order. */
  acknowledged: string[];
  stderr: string;
  signal: NodeJS.Signals | null;
}

export interface SaveLoopOptions {
  /** SIGKILL this many ms after start. */
  killAfterMs?: number;
  /** SIGKILL this many ms after the first acknowledged save. */
  killAfterFirstAckMs?: number;
  /** SIGKILL once this many saves were acknowledged. */
  killAfterAcks?: number;
  /** Extra environment for the child. */
  env?: NodeJS.ProcessEnv;
}

export function runSaveLoop(script: string, vault: string, password: string, prefix: string, options: SaveLoopOptions): Promise<SaveLoopRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, vault, password, prefix], { stdio: ['ignore', 'pipe', 'pipe'], ...(options.env ? { env: { ...process.env, ...options.env } } : {}) });
    let out = '';
    let stderr = '';
    let armed = false;
    const killIn = (ms: number) => {
      if (armed) return;
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), ms);
    };
    const acks = () => out.split('\n').slice(0, -1).filter((l) => l !== 'ready');
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const count = acks().length;
      if (options.killAfterFirstAckMs !== undefined && count > 0) killIn(options.killAfterFirstAckMs);
      if (options.killAfterAcks !== undefined && count >= options.killAfterAcks) killIn(0);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    if (options.killAfterMs !== undefined) killIn(options.killAfterMs);
    // Never hang the suite: a child that cannot make progress is killed too.
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      // Only complete lines are acknowledgements.
      resolve({ acknowledged: acks(), stderr, signal });
    });
  });
}
