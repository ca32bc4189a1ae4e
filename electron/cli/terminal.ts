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
/** Printable ASCII: nothing to escape, and one column per character (most cells: the fast path). */
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** Width in code points (what the table pads by) of a cell as shown: control characters escaped (safe-text.ts). */
function widthOf(text: string): number {
  let width = 0;
  for (const _ of text) width++;
  return width;
}

/**
 * A plain-text table. Each cell is escaped and measured once (into flat
 * arrays: at 100k rows, an object per cell shows); widths are found with a
 * loop, never by spreading one argument per row into Math.max (a vault of
 * 125k+ credentials overflowed the stack that way).
 */
export function printTable(rows: string[][], headers: string[]): string {
  const columns = headers.length;
  const count = rows.length + 1;
  const texts = new Array<string>(count * columns);
  const cellWidths = new Uint32Array(count * columns);
  const widths = new Array<number>(columns).fill(0);
  for (let r = 0; r < count; r++) {
    const row = r === 0 ? headers : rows[r - 1]!;
    for (let i = 0; i < columns; i++) {
      const cell = row[i] ?? '';
      // Printable ASCII (most cells) is shown as it is, one column per character: one test decides both.
      const plain = PLAIN_ASCII.test(cell);
      const text = plain ? cell : safeText(cell);
      const width = plain ? cell.length : widthOf(text);
      texts[r * columns + i] = text;
      cellWidths[r * columns + i] = width;
      if (width > widths[i]!) widths[i] = width;
    }
  }
  for (let i = 0; i < columns; i++) widths[i] = Math.min(MAX_COLUMN_WIDTH, widths[i]!);
  const pads = widths.map((w) => ' '.repeat(w + 2));
  const lines = new Array<string>(count);
  for (let r = 0; r < count; r++) {
    let line = '';
    for (let i = 0; i < columns; i++) {
      const text = texts[r * columns + i]!;
      const width = cellWidths[r * columns + i]!;
      const w = widths[i]!;
      if (width > w) line += `${[...text].slice(0, w - 1).join('')}…`;
      else line += text;
      if (i < columns - 1) line += pads[i]!.slice(0, w - Math.min(width, w) + 2);
    }
    lines[r] = line.trimEnd();
  }
  return lines.join('\n');
}
