/**
 * The smallest window Keyward's layout is designed for. Electron main sets it
 * as the window's minimum size; the layout spec checks every screen at exactly
 * this size (nothing clipped, no filter label cut). One number, both sides.
 */
export const MIN_WINDOW_SIZE = { width: 900, height: 600 } as const;
