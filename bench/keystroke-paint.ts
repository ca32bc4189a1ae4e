/**
 * One keystroke → next paint, measured inside the page: the page appends `ch`
 * to the focused input itself, then waits for the next animation frame and a
 * task queued from it (that task runs right after the frame is painted).
 * Shared by the app bench and the UI bench's in-page method.
 */
import type { Page } from '@playwright/test';

export function inPageKeystroke(page: Page, ch: string): Promise<number> {
  return page.evaluate(async (c) => {
    const input = document.activeElement as HTMLInputElement;
    const t = performance.now();
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    setter.call(input, input.value + c);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise<void>((r) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => r();
        channel.port2.postMessage(null);
      }),
    );
    return performance.now() - t;
  }, ch);
}
