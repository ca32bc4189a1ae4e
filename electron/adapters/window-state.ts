/** Remembers the window's size and position between runs (a small JSON file in userData). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';

interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

const DEFAULT: WindowState = { bounds: { x: 0, y: 0, width: 1180, height: 760 }, maximized: false };

export function loadWindowState(userData: string): WindowState & { hasPosition: boolean } {
  try {
    const s = JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8')) as WindowState;
    const { width, height, x, y } = s.bounds;
    if ([width, height, x, y].every(Number.isFinite) && width >= 640 && height >= 480) return { ...s, hasPosition: true };
  } catch {
    /* first run, or an unreadable file: defaults */
  }
  return { ...DEFAULT, hasPosition: false };
}

export function trackWindowState(win: BrowserWindow, userData: string): void {
  const save = () => {
    if (win.isDestroyed()) return;
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    try {
      writeFileSync(join(userData, 'window-state.json'), JSON.stringify(state));
    } catch {
      /* not worth failing over */
    }
  };
  win.on('resized', save);
  win.on('moved', save);
  win.on('close', save);
}
