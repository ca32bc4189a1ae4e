/**
 * The real X11 clipboard through xclip, for the harness (under Xvfb in tests).
 * Values go through stdin, never argv. xclip keeps running in the background to
 * serve the selection, so its output streams are not waited on.
 */
import { spawn } from 'node:child_process';
import type { ClipboardPort } from '../../electron/app/clipboard-guard.js';

function run(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('xclip', ['-selection', 'clipboard', ...args], {
      stdio: [input === undefined ? 'ignore' : 'pipe', input === undefined ? 'pipe' : 'ignore', 'ignore'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', () => reject(new Error('xclip is not available (install xclip and run under an X display).')));
    // A failed write must fail the copy: reporting "Copied" with nothing on the clipboard would mislead.
    child.on('exit', (code) => (code === 0 ? resolve(out) : input !== undefined ? reject(new Error('xclip could not write to the clipboard (is there an X display?).')) : resolve('')));
    if (input !== undefined) child.stdin!.end(input, 'utf8');
  });
}

export const xclipClipboard: ClipboardPort = {
  async writeSecret(text) {
    await run(['-i'], text);
  },
  async readText() {
    return run(['-o']);
  },
  async clear() {
    await run(['-i'], '');
  },
};
