/**
 * The clipboard guard clears only what it put there. When the user copied
 * something else meanwhile it leaves the clipboard alone — and says so, so the
 * app's countdown ends instead of hanging at "clearing…".
 */
import { describe, expect, it } from 'vitest';
import { ClipboardGuard, type ClipboardEnd, type ClipboardPort } from '../app/clipboard-guard.js';

class MemoryClipboard implements ClipboardPort {
  text = '';
  async writeSecret(text: string) {
    this.text = text;
  }
  async readText() {
    return this.text;
  }
  async clear() {
    this.text = '';
  }
}

function guarded() {
  const clipboard = new MemoryClipboard();
  const ends: ClipboardEnd[] = [];
  const guard = new ClipboardGuard(clipboard, (end) => ends.push(end));
  return { clipboard, ends, guard };
}

describe('ClipboardGuard', () => {
  it('clears its own value and reports it cleared', async () => {
    const { clipboard, ends, guard } = guarded();
    await guard.copy('sk_live_secret', 30);
    expect(await guard.clearIfStillOurs()).toBe(true);
    expect(clipboard.text).toBe('');
    expect(ends).toEqual(['cleared']);
  });

  it('leaves a clipboard the user changed alone, and reports that the countdown ended', async () => {
    const { clipboard, ends, guard } = guarded();
    await guard.copy('sk_live_secret', 30);
    clipboard.text = 'something the user copied';
    expect(await guard.clearIfStillOurs()).toBe(false);
    expect(clipboard.text).toBe('something the user copied');
    expect(ends).toEqual(['left-alone']);
  });

  it('reports nothing when nothing of ours is pending', async () => {
    const { ends, guard } = guarded();
    expect(await guard.clearIfStillOurs()).toBe(false);
    expect(ends).toEqual([]);
  });
});
