/**
 * Runs one step of a user-configured rotator. The command line comes from the
 * user (run through their shell); values travel only on stdin and stdout, never
 * in argv or the environment. The child gets the user's environment minus every
 * KEYWARD_* variable (the master password may be among them), plus the
 * credential's name and provider. A step that outlives its timeout is killed
 * with its whole process group.
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  exitCode: number | null;
  timedOut: boolean;
  /** Everything the command printed on stdout (the new value, for `create`). Never logged. */
  stdout: string;
  /** Whether the command could not be started at all. */
  failedToStart: boolean;
}

const MAX_OUTPUT_BYTES = 1024 * 1024;

export function rotatorEnvironment(base: NodeJS.ProcessEnv, credential: string, provider: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (!key.toUpperCase().startsWith('KEYWARD_') && !key.toUpperCase().startsWith('ELECTRON_')) env[key] = value;
  }
  env.KEYWARD_CREDENTIAL = credential;
  env.KEYWARD_PROVIDER = provider;
  return env;
}

export function runCommand(command: string, options: { stdin: string; env: NodeJS.ProcessEnv; timeoutMs: number; cwd?: string }): Promise<CommandResult> {
  return new Promise((resolve) => {
    const isWindows = process.platform === 'win32';
    const child = spawn(command, { shell: true, env: options.env, cwd: options.cwd, detached: !isWindows, stdio: ['pipe', 'pipe', 'ignore'], windowsHide: true });
    let stdout = '';
    let size = 0;
    let timedOut = false;
    let settled = false;
    const finish = (result: Omit<CommandResult, 'stdout' | 'timedOut'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, stdout, timedOut });
    };
    const killTree = () => {
      try {
        if (!isWindows && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killTree();
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) killTree();
      else stdout += chunk.toString('utf8');
    });
    child.on('error', () => finish({ exitCode: null, failedToStart: true }));
    child.on('close', (code) => finish({ exitCode: code, failedToStart: false }));
    child.stdin.on('error', () => undefined); // the command may exit without reading its input
    child.stdin.end(options.stdin, 'utf8');
  });
}
