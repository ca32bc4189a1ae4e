/**
 * `app.openLink`: the renderer names a link by id; main opens only the fixed
 * https URL behind it, through the allowlisted opener, and nothing else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LINK_IDS } from '../../shared/links.js';
import { realVaultDeps } from '../core/composition.js';
import { MemoryKeychain } from '../core/keychain/keychain.js';
import { createDispatcher } from '../ipc/dispatcher.js';
import { handlersFor } from '../ipc/handlers/index.js';
import { AppController } from './app-controller.js';
import { allowlistedOpener, isAllowedLinkUrl, LINK_URLS, linkUrl } from './links.js';

const PAGE = { url: 'app://keyward/index.html', isMainFrame: true };

describe('the link allowlist', () => {
  it('has one fixed https URL for every id, and nothing else', () => {
    expect(Object.keys(LINK_URLS).sort()).toEqual([...LINK_IDS].sort());
    for (const id of LINK_IDS) {
      const url = new URL(LINK_URLS[id]);
      expect(url.protocol, id).toBe('https:');
      expect(url.username + url.password, id).toBe('');
      expect(LINK_URLS[id], id).not.toMatch(/[\s<>"']/);
    }
    expect(Object.isFrozen(LINK_URLS)).toBe(true);
  });

  it('answers only its own ids', () => {
    expect(linkUrl('docs.security')).toBe(LINK_URLS['docs.security']);
    for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'https://evil.example/', '', 'DOCS.SECURITY', 7, null, undefined, {}]) expect(linkUrl(id), String(id)).toBeNull();
  });

  it('the opener passes on allowlisted URLs only, at most one a second', async () => {
    let now = 10_000;
    const open = vi.fn(async (_url: string) => undefined);
    const opener = allowlistedOpener(open, { now: () => now });
    for (const url of ['https://evil.example/', `${LINK_URLS['docs.security']}?x=1`, `${LINK_URLS['docs.security']}#x`, 'file:///etc/passwd', ' ' + LINK_URLS['docs.security']]) {
      expect(isAllowedLinkUrl(url), url).toBe(false);
      expect(await opener(url), url).toBe(false);
    }
    expect(open).not.toHaveBeenCalled();
    expect(await opener(LINK_URLS['docs.security'])).toBe(true);
    expect(await opener(LINK_URLS['docs.rotation'])).toBe(false);
    now += 1_000;
    expect(await opener(LINK_URLS['docs.rotation'])).toBe(true);
    expect(open.mock.calls).toEqual([[LINK_URLS['docs.security']], [LINK_URLS['docs.rotation']]]);
  });

  it('the opener reports a browser that could not be asked as not opened', async () => {
    const opener = allowlistedOpener(async () => Promise.reject(new Error('no handler')));
    expect(await opener(LINK_URLS['docs.security'])).toBe(false);
  });
});

describe('app.openLink through the IPC dispatcher', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyward-links-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const controller = (openExternal?: (url: string) => Promise<void>) =>
    new AppController({
      vaultPath: join(dir, 'vault.keyward'),
      deps: realVaultDeps({ useKeychain: false, keychain: new MemoryKeychain() }),
      clipboard: { writeSecret: async () => undefined, readText: async () => '', clear: async () => undefined },
      actor: 'test',
      emit: () => undefined,
      ...(openExternal ? { openExternal } : {}),
    });

  it('opens the URL behind the id, never one from the request', async () => {
    const open = vi.fn(async (_url: string) => undefined);
    const dispatch = createDispatcher(handlersFor(controller(open)), 'app://keyward');
    expect(await dispatch(PAGE, 'app.openLink', { id: 'docs.rotation' })).toEqual({ ok: true, value: { opened: true } });
    expect(open).toHaveBeenCalledExactlyOnceWith(LINK_URLS['docs.rotation']);
    for (const request of [{ id: 'https://evil.example/' }, { id: 'constructor' }, { id: 'docs.security', url: 'https://evil.example/' }, { url: 'https://evil.example/' }, {}]) {
      const r = await dispatch(PAGE, 'app.openLink', request);
      expect(r.ok, JSON.stringify(request)).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('BAD_REQUEST');
    }
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('is refused from anything but the app page', async () => {
    const open = vi.fn(async (_url: string) => undefined);
    const dispatch = createDispatcher(handlersFor(controller(open)), 'app://keyward');
    const r = await dispatch({ url: 'https://evil.example/', isMainFrame: true }, 'app.openLink', { id: 'docs.security' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('FORBIDDEN');
    expect(open).not.toHaveBeenCalled();
  });

  it('answers opened: false when the browser could not be asked', async () => {
    const dispatch = createDispatcher(handlersFor(controller(async () => Promise.reject(new Error('refused')))), 'app://keyward');
    expect(await dispatch(PAGE, 'app.openLink', { id: 'docs.security' })).toEqual({ ok: true, value: { opened: false } });
  });

  it('is "not available here" where no opener is given (the harness)', async () => {
    const dispatch = createDispatcher(handlersFor(controller()), 'app://keyward');
    const r = await dispatch(PAGE, 'app.openLink', { id: 'docs.security' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('BAD_REQUEST');
      expect(r.error.message).toMatch(/not available here/);
    }
  });
});
