/**
 * Copies secrets to the clipboard and clears them after a delay — but only if
 * the clipboard still holds what we put there (the user may have copied
 * something else since). The value itself is not kept: only a keyed hash,
 * with a key that lives as long as this guard.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../core/crypto/primitives.js';
import { KeywardError } from '../core/errors.js';

export interface ClipboardPort {
  /** Writes text, marked for clipboard managers as concealed/secret where the platform supports it. */
  writeSecret(text: string): Promise<void>;
  readText(): Promise<string>;
  clear(): Promise<void>;
}

/**
 * How a pending copy ended: cleared by us, or left alone because the clipboard
 * no longer held our value (the user copied something else) or could not be read.
 */
export type ClipboardEnd = 'cleared' | 'left-alone';

export class ClipboardGuard {
  private readonly hashKey = randomBytes(32);
  private pending: { digest: Buffer; timer: ReturnType<typeof setTimeout>; clearsAt: number } | null = null;

  constructor(
    private readonly clipboard: ClipboardPort,
    /** Called once for every copy whose countdown ends, however it ends, so the app can stop showing it. */
    private readonly onEnded: (end: ClipboardEnd) => void,
    private readonly now: () => number = Date.now,
  ) {}

  private digest(text: string): Buffer {
    return createHmac('sha256', this.hashKey).update(text, 'utf8').digest();
  }

  async copy(value: string, clearAfterSeconds: number): Promise<{ clearsAt: number }> {
    try {
      await this.clipboard.writeSecret(value);
    } catch {
      throw new KeywardError('INTERNAL', 'Could not write to the clipboard. Nothing was copied.');
    }
    if (this.pending) clearTimeout(this.pending.timer);
    const clearsAt = this.now() + clearAfterSeconds * 1000;
    const digest = this.digest(value);
    const timer = setTimeout(() => void this.clearIfStillOurs(), clearAfterSeconds * 1000);
    timer.unref?.();
    this.pending = { digest, timer, clearsAt };
    return { clearsAt };
  }

  /** Clears now if the clipboard still holds our value (used on lock and quit, too). */
  async clearIfStillOurs(): Promise<boolean> {
    const pending = this.pending;
    if (!pending) return false;
    clearTimeout(pending.timer);
    this.pending = null;
    let current: string;
    try {
      current = await this.clipboard.readText();
    } catch {
      this.onEnded('left-alone');
      return false;
    }
    if (!constantTimeEqual(this.digest(current), pending.digest)) {
      this.onEnded('left-alone');
      return false;
    }
    await this.clipboard.clear();
    this.onEnded('cleared');
    return true;
  }
}
