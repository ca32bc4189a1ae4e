/** Overwrite key material we are done with (best effort: the GC may hold copies). */
export function wipe(...buffers: Buffer[]): void {
  for (const b of buffers) b.fill(0);
}
