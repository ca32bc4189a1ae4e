import { describe, expect, it } from 'vitest';
import { localApiSocketPath, runtimeFileId } from './socket-path.js';

/** FNV-1a, 64 bits, as its definition says, in BigInt: the reference the two-halves version must match. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, '0');
}

describe('runtime file names', () => {
  it('are FNV-1a 64 of the UTF-8 text: the published vectors, and the reference on texts of every byte', () => {
    // From the FNV reference test suite (draft-eastlake-fnv): "", "a", "foobar".
    expect(runtimeFileId('')).toBe('cbf29ce484222325');
    expect(runtimeFileId('a')).toBe('af63dc4c8601ec8c');
    expect(runtimeFileId('foobar')).toBe('85944171f73967e8');
    const texts = ['/home/ana/.config/Keyward/vault.keyward', 'ü€𝄞'.repeat(40), String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i))];
    for (let i = 0; i < 300; i++) texts.push(Array.from({ length: i % 90 }, (_, j) => String.fromCharCode((i * 7919 + j * 104729) % 0xd7ff)).join(''));
    for (const t of texts) expect(runtimeFileId(t)).toBe(fnv1a64(t));
  });

  it('name one socket per vault path, in the runtime folder', () => {
    const env = { KEYWARD_RUNTIME_DIR: '/run/user/1000/keyward' };
    const a = localApiSocketPath('/home/ana/a.keyward', env, 'linux');
    expect(a).toBe(`/run/user/1000/keyward/api-${fnv1a64('/home/ana/a.keyward')}.sock`);
    expect(localApiSocketPath('/home/ana/./a.keyward', env, 'linux')).toBe(a);
    expect(localApiSocketPath('/home/ana/b.keyward', env, 'linux')).not.toBe(a);
  });
});
