/**
 * Runs one step of a user-configured rotator. The command line comes from the
 * user (run through their shell); values travel only on stdin and stdout, never
 * in argv or the environment. The child gets the user's environment minus every
 * KEYWARD_* variable (the master password may be among them), plus the
 * credential's name and provider.
 *
 * A step ends when its output ends (stdout closed) — or at its timeout, or as
 * soon as its output passes the cap, whatever its children do: the whole
 * process group (on Windows the whole process tree) is killed and the step is
 * over at once, without waiting for the pipe to close. A grandchild that left
 * the group (`setsid`) and still holds the pipe is out of reach; it only finds
 * its end of the pipe closed.
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  exitCode: number | null;
  timedOut: boolean;
  /** The command printed more than the cap: it was stopped and its output discarded. */
  tooLarge: boolean;
  /** Everything the command printed on stdout (the new value, for `create`). Never logged. Empty when stopped. */
  stdout: string;
  /** Whether the command could not be started at all. */
  failedToStart: boolean;
}

export interface RunOptions {
  stdin: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** The folder the step runs in (rotation always gives a fixed one; see RotationService). */
  cwd?: string;
  /** The most stdout kept, in bytes (default 1 MiB). More stops the step. */
  maxOutputBytes?: number;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

export function rotatorEnvironment(base: NodeJS.ProcessEnv, credential: string, provider: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (!key.toUpperCase().startsWith('KEYWARD_') && !key.toUpperCase().startsWith('ELECTRON_')) env[key] = value;
  }
  env.KEYWARD_CREDENTIAL = credential;
  env.KEYWARD_PROVIDER = provider;
  return env;
}

export function runCommand(command: string, options: RunOptions): Promise<CommandResult> {
  return new Promise((resolve) => {
    const isWindows = process.platform === 'win32';
    const maxBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    // detached on POSIX: the shell leads a new process group, so the group can be killed as one.
    const child = spawn(command, { shell: true, env: options.env, cwd: options.cwd, detached: !isWindows, stdio: ['pipe', 'pipe', 'ignore'], windowsHide: true });
    // Bytes, decoded once at the end: a character split between two reads must not be mangled.
    const chunks: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    let tooLarge = false;
    let settled = false;

    const finish = (exitCode: number | null, failedToStart: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const data = Buffer.concat(chunks);
      const stdout = timedOut || tooLarge || failedToStart ? '' : data.toString('utf8');
      // The output may be a secret: leave no copy of its bytes behind.
      data.fill(0);
      for (const chunk of chunks.splice(0)) chunk.fill(0);
      resolve({ exitCode, timedOut, tooLarge, stdout, failedToStart });
    };

    const killTree = () => {
      const pid = child.pid;
      if (!pid) return;
      if (isWindows) {
        // The shell's children are not in a group we can signal: ask Windows to end the whole tree.
        const killer = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
        killer.on('error', () => child.kill('SIGKILL'));
        return;
      }
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* the group is already gone */
      }
    };

    /** Ends the step now: kill everything we can reach, close our ends of the pipes, stop waiting. */
    const stop = () => {
      if (settled) return;
      killTree();
      child.stdout.destroy();
      child.stdin.destroy();
      finish(null, false);
    };

    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);

    child.stdout.on('data', (chunk: Buffer) => {
      if (settled) return chunk.fill(0);
      size += chunk.length;
      if (size > maxBytes) {
        chunk.fill(0);
        tooLarge = true;
        return stop();
      }
      chunks.push(chunk);
    });
    child.stdout.on('error', () => undefined);
    child.on('error', () => finish(null, true));
    child.on('close', (code) => finish(code, false));
    child.stdin.on('error', () => undefined); // the command may exit without reading its input
    child.stdin.end(options.stdin, 'utf8');
  });
}
