/**
 * Published known-answer vectors (electron/test/fixtures/vectors.json: RFC 7914 and
 * RFC 6070-shaped PBKDF2-HMAC-SHA256, Bitwarden's PBKDF2 answer, the GCM spec's
 * AES-256 cases 13–16, RFC 4231 and HashiCorp Vault HMAC-SHA256) through
 * Keyward's own primitives, plus the properties the vault relies on.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  constantTimeEqual,
  hkdfSha256,
  hmacSha256,
  pbkdf2Sha256,
  sha256,
  TAG_BYTES,
} from '../core/crypto/primitives.js';
import { derivePasswordKey, deriveSubkeys, KDF_ALGORITHM } from '../core/vault/format/index.js';
import { SUBKEY_PURPOSES } from '../core/vault/format/v1/labels.js';
import { repoRoot, vectorsFile } from './helpers/paths.js';

interface Vector {
  name: string;
  kind: 'pbkdf2-sha256' | 'aes-256-gcm' | 'hmac-sha256' | 'sha256';
  slow?: boolean;
  [field: string]: unknown;
}

const vectors = JSON.parse(readFileSync(vectorsFile, 'utf8')) as Vector[];
const hex = (v: Vector, field: string) => Buffer.from(v[field] as string, 'hex');
const ofKind = (kind: Vector['kind']) => vectors.filter((v) => v.kind === kind);

describe('the vector file', () => {
  it('is kept inside the repository: a clean clone with nothing beside it finds it', () => {
    const where = relative(repoRoot, vectorsFile);
    expect(where.startsWith('..') || isAbsolute(where)).toBe(false);
  });

  it('no test, benchmark or script reads the workspace folder beside the repository at run time', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|tsx|mjs|cjs|js|sh)$/.test(name) && !path.endsWith('crypto-vectors.test.ts')) {
          if (/\.\.\/shared\/(data|handbook)|'\.\.', 'shared', '(data|handbook)'/.test(readFileSync(path, 'utf8'))) offenders.push(relative(repoRoot, path));
        }
      }
    };
    for (const top of ['electron', 'e2e', 'bench', 'scripts', 'renderer', 'shared']) walk(join(repoRoot, top));
    expect(offenders).toEqual([]);
  });

  it('holds every kind the primitives implement', () => {
    expect(ofKind('pbkdf2-sha256').length).toBeGreaterThanOrEqual(5);
    expect(ofKind('aes-256-gcm').length).toBeGreaterThanOrEqual(4);
    expect(ofKind('hmac-sha256').length).toBeGreaterThanOrEqual(2);
    expect(ofKind('sha256').length).toBeGreaterThanOrEqual(1);
  });
});

describe('PBKDF2-HMAC-SHA256 (pbkdf2Sha256)', () => {
  for (const v of ofKind('pbkdf2-sha256')) {
    // 16,777,216 iterations take ~9 s here: the other vectors already pin the algorithm.
    it.skipIf(v.slow === true)(`${v.name} (${v.iterations} iterations, ${v.dklen} bytes)`, async () => {
      const dk = await pbkdf2Sha256(hex(v, 'password_hex'), hex(v, 'salt_hex'), v.iterations as number, v.dklen as number);
      expect(dk.toString('hex')).toBe(v.dk_hex);
    });
  }

  it('derives the master-password key exactly as PBKDF2 with the header salt and iterations', async () => {
    const v = ofKind('pbkdf2-sha256').find((x) => x.name.startsWith('Bitwarden'))!;
    const key = await derivePasswordKey(v.password_ascii as string, {
      algorithm: KDF_ALGORITHM,
      iterations: v.iterations as number,
      salt: hex(v, 'salt_hex').toString('base64'),
    });
    expect(key.toString('hex')).toBe(v.dk_hex);
  });

  it('normalises the password to NFC, so composed and decomposed accents give the same key', async () => {
    const kdf = { algorithm: KDF_ALGORITHM, iterations: 1000, salt: Buffer.alloc(32, 7).toString('base64') } as const;
    const composed = await derivePasswordKey('caf\u00e9-p\u00e4ss', kdf);
    const decomposed = await derivePasswordKey('cafe\u0301-pa\u0308ss', kdf);
    expect(composed.equals(decomposed)).toBe(true);
    expect(composed.equals(await derivePasswordKey('cafe-pass', kdf))).toBe(false);
  });
});

describe('AES-256-GCM (aesGcmEncrypt / aesGcmDecrypt)', () => {
  for (const v of ofKind('aes-256-gcm')) {
    it(v.name, () => {
      const key = hex(v, 'key_hex');
      const iv = hex(v, 'iv_hex');
      const aad = hex(v, 'aad_hex');
      const sealed = aesGcmEncrypt(key, iv, hex(v, 'plaintext_hex'), aad);
      expect(sealed.toString('hex')).toBe(`${v.ciphertext_hex as string}${v.tag_hex as string}`);
      const opened = aesGcmDecrypt(key, iv, sealed, aad);
      expect(opened?.toString('hex')).toBe(v.plaintext_hex);
    });

    it(`${v.name}: any change to ciphertext, tag, AAD, nonce or key fails authentication`, () => {
      const key = hex(v, 'key_hex');
      const iv = hex(v, 'iv_hex');
      const aad = hex(v, 'aad_hex');
      const sealed = Buffer.concat([hex(v, 'ciphertext_hex'), hex(v, 'tag_hex')]);
      for (let i = 0; i < sealed.length; i++) {
        const bad = Buffer.from(sealed);
        bad[i] = bad[i]! ^ 0x80;
        expect(aesGcmDecrypt(key, iv, bad, aad)).toBeNull();
      }
      expect(aesGcmDecrypt(key, iv, sealed, Buffer.concat([aad, Buffer.from([0])]))).toBeNull();
      expect(aesGcmDecrypt(key, Buffer.from(iv).fill(0xff, 0, 1), sealed, aad)).toBeNull();
      expect(aesGcmDecrypt(Buffer.from(key).fill(0x42, 31), iv, sealed, aad)).toBeNull();
      expect(aesGcmDecrypt(key, iv, sealed.subarray(0, TAG_BYTES - 1), aad)).toBeNull();
    });
  }

  it('refuses keys and nonces of the wrong size instead of silently using AES-128 or long IVs', () => {
    expect(() => aesGcmEncrypt(Buffer.alloc(16), Buffer.alloc(12), Buffer.alloc(1), Buffer.alloc(0))).toThrow(/32-byte key/);
    expect(() => aesGcmEncrypt(Buffer.alloc(32), Buffer.alloc(16), Buffer.alloc(1), Buffer.alloc(0))).toThrow(/12-byte nonce/);
  });
});

describe('HMAC-SHA256 and SHA-256', () => {
  for (const v of ofKind('hmac-sha256')) {
    it(v.name, () => {
      expect(hmacSha256(hex(v, 'key_hex'), hex(v, 'data_hex')).toString('hex')).toBe(v.mac_hex);
    });
  }
  for (const v of ofKind('sha256')) {
    it(v.name, () => {
      expect(sha256(Buffer.from(v.data_ascii as string, 'utf8')).toString('hex')).toBe(v.digest_hex);
    });
  }

  it('compares MACs in constant time and treats different lengths as unequal', () => {
    const a = hmacSha256(Buffer.from('k'), Buffer.from('x'));
    expect(constantTimeEqual(a, Buffer.from(a))).toBe(true);
    expect(constantTimeEqual(a, a.subarray(1))).toBe(false);
    expect(constantTimeEqual(a, Buffer.alloc(32))).toBe(false);
  });
});

describe('HKDF-SHA256 and key separation', () => {
  it('matches RFC 5869 test case 3 (SHA-256, empty salt and info)', () => {
    // Keyward's info labels are ASCII strings, so the case with an empty info is the one that fits the API.
    const okm = hkdfSha256(Buffer.alloc(22, 0x0b), Buffer.alloc(0), '', 42);
    expect(okm.toString('hex')).toBe('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
  });

  it('derives one distinct 32-byte subkey per purpose, bound to the vault id', () => {
    const vaultKey = Buffer.alloc(32, 9);
    const a = deriveSubkeys(vaultKey, '11111111-1111-4111-8111-111111111111');
    const b = deriveSubkeys(vaultKey, '22222222-2222-4222-8222-222222222222');
    const keys = Object.values(a).map((k) => k.toString('hex'));
    expect(Object.keys(a).sort()).toEqual(Object.keys(SUBKEY_PURPOSES).sort());
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of Object.values(a)) expect(k.length).toBe(32);
    expect(keys).not.toContain(vaultKey.toString('hex'));
    expect(a.body.equals(b.body)).toBe(false);
    expect(deriveSubkeys(vaultKey, '11111111-1111-4111-8111-111111111111').body.equals(a.body)).toBe(true);
  });
});
