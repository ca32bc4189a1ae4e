/**
 * Terminal input and output for the CLI: reading values from stdin, asking for
 * passwords without echo on the controlling terminal (so stdin stays free for
 * values), and printing untrusted text safely.
 */
import { openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { KeywardError } from '../core/errors.js';

/** Reads all of stdin and drops one trailing newline (so `echo VALUE | keyward add` works). */
export async function readStdinValue(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** Asks on the controlling terminal with echo off. */
export async function promptHidden(question: string): Promise<string> {
  let fd: number;
  try {
    fd = openSync(process.platform === 'win32' ? 'CONIN$' : '/dev/tty', 'r+');
  } catch {
    throw new KeywardError('BAD_REQUEST', 'No terminal to ask on: set KEYWARD_PASSWORD or pass --password-file FILE.');
  }
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  output.write(question);
  input.setRawMode(true);
  return new Promise((resolve) => {
    let answer = '';
    const finish = (result: string | null) => {
      input.setRawMode(false);
      input.removeAllListeners('data');
      input.destroy();
      output.write('\n');
      output.destroy();
      if (result === null) process.exit(130);
      resolve(result);
    };
    input.on('data', (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(answer);
        if (ch === '\u0003') return finish(null); // Ctrl-C
        if (ch === '\u007f' || ch === '\b') answer = [...answer].slice(0, -1).join('');
        else if (ch >= ' ') answer += ch;
      }
    });
  });
}

/** Asks for a yes/no on the terminal (for confirmations). */
export async function confirm(question: string): Promise<boolean> {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    return false;
  }
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  output.write(`${question} [y/N] `);
  return new Promise((resolve) => {
    input.once('data', (chunk: Buffer) => {
      input.destroy();
      output.destroy();
      resolve(/^y(es)?$/i.test(chunk.toString('utf8').trim()));
    });
  });
}

export { safeText } from '../core/text/safe-text.js';
import { safeText } from '../core/text/safe-text.js';

const MAX_COLUMN_WIDTH = 48;
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** Width in code points (what the table pads by); ASCII text needs no split. */
function widthOf(text: string): number {
  return ASCII.test(text) ? text.length : [...text].length;
}

/**
 * A plain-text table. Widths are found with a loop, never by spreading one
 * argument per row into Math.max (a vault of 125k+ credentials overflowed the
 * stack that way).
 */
export function printTable(rows: string[][], headers: string[]): string {
  const all = [headers, ...rows].map((r) => r.map(safeText));
  const widths = headers.map(() => 0);
  for (const row of all) {
    for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i]!, widthOf(row[i] ?? ''));
  }
  for (let i = 0; i < widths.length; i++) widths[i] = Math.min(MAX_COLUMN_WIDTH, widths[i]!);
  const fit = (cell: string, w: number) => {
    const width = widthOf(cell);
    if (width <= w) return cell + ' '.repeat(w - width);
    return `${[...cell].slice(0, w - 1).join('')}…`;
  };
  return all.map((r) => r.map((cell, i) => fit(cell, widths[i]!)).join('  ').trimEnd()).join('\n');
}
