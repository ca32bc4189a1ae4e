/**
 * The clipboard in the Electron app. On macOS the copy is marked with
 * org.nspasteboard.ConcealedType so clipboard managers skip it: Electron's API
 * cannot put text and a custom type on the pasteboard together (each
 * writeBuffer call wipes the other types), so the write goes through
 * osascript's Objective-C bridge, with the value on stdin — never in argv.
 */
import { spawn } from 'node:child_process';
import { clipboard } from 'electron';
import type { ClipboardPort } from '../app/clipboard-guard.js';

const CONCEALED_WRITE = `
ObjC.import('AppKit');
const input = $.NSFileHandle.fileHandleWithStandardInput.readDataToEndOfFile;
const text = $.NSString.alloc.initWithDataEncoding(input, $.NSUTF8StringEncoding);
const pb = $.NSPasteboard.generalPasteboard;
pb.clearContents;
pb.setStringForType(text, $.NSPasteboardTypeString);
pb.setStringForType($(''), 'org.nspasteboard.ConcealedType');
`;

function writeConcealedMac(text: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/osascript', ['-l', 'JavaScript', '-e', CONCEALED_WRITE], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
    child.stdin.end(text, 'utf8');
  });
}

export const electronClipboard: ClipboardPort = {
  async writeSecret(text) {
    if (process.platform === 'darwin' && (await writeConcealedMac(text))) return;
    clipboard.writeText(text);
  },
  async readText() {
    return clipboard.readText();
  },
  async clear() {
    clipboard.clear();
  },
};
