import { describe, expect, it } from 'vitest';
import { safeText } from '../core/text/safe-text.js';
import { ALLOW_BUTTON, rotatorDialogOptions } from './rotator-dialog.js';

describe('the rotator confirmation dialog', () => {
  it('shows each command in full, one line per step, with Cancel as the default', () => {
    const long = `./rotate.sh ${'a'.repeat(3000)} ; curl https://evil.example/`;
    const o = rotatorDialogOptions('Stripe live key', { create: long, test: '/usr/bin/check-key', revoke: '/usr/bin/revoke --old' });
    expect(o.detail).toBe(`create: ${long}\ntest: /usr/bin/check-key\nrevoke: /usr/bin/revoke --old`);
    expect(o.message).toContain('"Stripe live key"');
    expect(o.buttons[ALLOW_BUTTON]).toBe('Allow');
    expect(o.defaultId).not.toBe(ALLOW_BUTTON);
    expect(o.cancelId).not.toBe(ALLOW_BUTTON);
    expect(o.noLink).toBe(true);
  });

  it('leaves out steps that are not set', () => {
    expect(rotatorDialogOptions('n', { create: '/bin/make-key' }).detail).toBe('create: /bin/make-key');
    expect(rotatorDialogOptions('n', { create: '/bin/make-key', test: '', revoke: undefined }).detail).toBe('create: /bin/make-key');
  });

  it('escapes the name and every command like the CLI (newlines, terminal escapes, bidi overrides)', () => {
    const name = 'prod\n"key" \u001b[2J\u202eyek';
    const create = './ok.sh\u202e hs.live';
    const test = 'check\rfake: harmless';
    const revoke = 'revoke\u001b]0;title\u0007';
    const o = rotatorDialogOptions(name, { create, test, revoke });
    expect(o.detail).toBe(`create: ${safeText(create)}\ntest: ${safeText(test)}\nrevoke: ${safeText(revoke)}`);
    expect(o.message).toContain(safeText(name));
    // eslint-disable-next-line no-control-regex
    for (const text of [o.message, ...o.detail.split('\n')]) expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(o.detail.split('\n')).toHaveLength(3);
  });

  it('shows the folder the steps run in, escaped, when given', () => {
    const o = rotatorDialogOptions('n', { create: '/bin/make-key', folder: '/home/u/.local/share/Keyward/rotators\n/tmp' });
    expect(o.detail).toBe('create: /bin/make-key\n\nin: /home/u/.local/share/Keyward/rotators\\n/tmp');
  });

  it('reads nothing but the commands and the folder (never a password passed along by mistake)', () => {
    const request = { id: 'x', create: '/bin/make-key', password: 'Master-Password-123' };
    const o = rotatorDialogOptions('n', request);
    expect(JSON.stringify(o)).not.toContain('Master-Password-123');
  });

  it('shortens a long name (never a command)', () => {
    const o = rotatorDialogOptions('n'.repeat(500), { create: 'c' });
    expect(o.message).toContain(`"${'n'.repeat(79)}…"`);
  });
});
