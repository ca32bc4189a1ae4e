/** Remembers the window's size and position between runs (a small JSON file in userData, 0600). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tightenFileMode, writePrivateFileSync } from '../app/private-file.js';

export const WINDOW_STATE_FILE = 'window-state.json';

interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface WindowState {
  bounds: Bounds;
  maximized: boolean;
}

/** The parts of a BrowserWindow the tracking uses. */
export interface TrackedWindow {
  isDestroyed(): boolean;
  getNormalBounds(): Bounds;
  isMaximized(): boolean;
  on(event: 'resized' | 'moved' | 'close', listener: () => void): unknown;
}

const DEFAULT: WindowState = { bounds: { x: 0, y: 0, width: 1180, height: 760 }, maximized: false };

export function loadWindowState(userData: string): WindowState & { hasPosition: boolean } {
  const file = join(userData, WINDOW_STATE_FILE);
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as WindowState;
    tightenFileMode(file);
    const { width, height, x, y } = s.bounds;
    if ([width, height, x, y].every(Number.isFinite) && width >= 640 && height >= 480) return { bounds: { x, y, width, height }, maximized: s.maximized === true, hasPosition: true };
  } catch {
    /* first run, or an unreadable file: defaults */
  }
  return { ...DEFAULT, hasPosition: false };
}

export function trackWindowState(win: TrackedWindow, userData: string): void {
  const save = () => {
    if (win.isDestroyed()) return;
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    try {
      writePrivateFileSync(join(userData, WINDOW_STATE_FILE), JSON.stringify(state));
    } catch {
      /* not worth failing over */
    }
  };
  win.on('resized', save);
  win.on('moved', save);
  win.on('close', save);
}
