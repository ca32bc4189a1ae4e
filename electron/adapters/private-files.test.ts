/** The app's own small files (config.json, window-state.json) are 0600, in a folder 0700 when we create it. */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseVaultPath, rememberVaultPath } from './app-config.js';
import { loadWindowState, trackWindowState, type TrackedWindow } from './window-state.js';

const posix = process.platform !== 'win32';
const mode = (path: string) => statSync(path).mode & 0o777;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyward-userdata-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fakeWindow(bounds = { x: 10, y: 20, width: 900, height: 600 }) {
  const listeners = new Map<string, Array<() => void>>();
  const win: TrackedWindow & { fire(event: string): void } = {
    isDestroyed: () => false,
    getNormalBounds: () => bounds,
    isMaximized: () => false,
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return win;
    },
    fire(event) {
      for (const l of listeners.get(event) ?? []) l();
    },
  };
  return win;
}

describe('config.json (the last vault chosen)', () => {
  it('is written 0600 and read back', () => {
    rememberVaultPath(dir, '/home/u/work.keyward');
    const file = join(dir, 'config.json');
    if (posix) expect(mode(file)).toBe(0o600);
    expect(chooseVaultPath([], {}, dir)).toBe('/home/u/work.keyward');
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it.runIf(posix)('replaces a file an older version left 0644 with a 0600 one', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ vaultPath: '/old.keyward' }));
    chmodSync(file, 0o644);
    rememberVaultPath(dir, '/new.keyward');
    expect(mode(file)).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ vaultPath: '/new.keyward' });
  });

  it.runIf(posix)('tightens an old 0644 file as soon as it is read', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ vaultPath: '/old.keyward' }));
    chmodSync(file, 0o644);
    expect(chooseVaultPath([], {}, dir)).toBe('/old.keyward');
    expect(mode(file)).toBe(0o600);
  });

  it.runIf(posix)('creates a missing folder 0700', () => {
    const userData = join(dir, 'a', 'Keyward');
    rememberVaultPath(userData, '/v.keyward');
    expect(mode(userData)).toBe(0o700);
    expect(mode(join(dir, 'a'))).toBe(0o700);
    expect(mode(join(userData, 'config.json'))).toBe(0o600);
  });

  it('--vault and $KEYWARD_VAULT still come first', () => {
    rememberVaultPath(dir, '/saved.keyward');
    expect(chooseVaultPath(['--vault', '/flag.keyward'], {}, dir)).toBe('/flag.keyward');
    expect(chooseVaultPath(['--vault=/inline.keyward'], {}, dir)).toBe('/inline.keyward');
    expect(chooseVaultPath([], { KEYWARD_VAULT: '/env.keyward' }, dir)).toBe('/env.keyward');
  });
});

describe('window-state.json', () => {
  it('is saved 0600 on move, resize and close, and loaded back', () => {
    const win = fakeWindow();
    trackWindowState(win, dir);
    win.fire('moved');
    const file = join(dir, 'window-state.json');
    if (posix) expect(mode(file)).toBe(0o600);
    expect(loadWindowState(dir)).toEqual({ bounds: { x: 10, y: 20, width: 900, height: 600 }, maximized: false, hasPosition: true });
    expect(readdirSync(dir)).toEqual(['window-state.json']);
  });

  it.runIf(posix)('replaces a 0644 file with a 0600 one, and tightens one it only reads', () => {
    const file = join(dir, 'window-state.json');
    writeFileSync(file, JSON.stringify({ bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: true }));
    chmodSync(file, 0o644);
    expect(loadWindowState(dir).maximized).toBe(true);
    expect(mode(file)).toBe(0o600);
    chmodSync(file, 0o644);
    const win = fakeWindow();
    trackWindowState(win, dir);
    win.fire('close');
    expect(mode(file)).toBe(0o600);
  });

  it('falls back to defaults for a missing or odd file', () => {
    expect(loadWindowState(dir).hasPosition).toBe(false);
    writeFileSync(join(dir, 'window-state.json'), JSON.stringify({ bounds: { x: 0, y: 0, width: 10, height: 10 } }));
    expect(loadWindowState(dir).hasPosition).toBe(false);
    writeFileSync(join(dir, 'window-state.json'), 'not json');
    expect(loadWindowState(dir).bounds.width).toBe(1180);
  });
});
