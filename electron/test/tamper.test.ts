/**
 * Damaged and tampered vault files. Any change to any byte must be reported as
 * "corrupted or tampered" (never as a wrong password), the file must never be
 * overwritten, and the newest intact backup must be offered and restorable.
 * A forger who also recomputes the checksum can at worst make the vault look
 * like it has another password: it never opens and the KDF is never weakened.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkVaultFile } from '../core/vault/format/index.js';
import { Lockout } from '../core/vault/lockout.js';
import { probeVault, restoreBackupFile, unlockVault, type VaultDeps } from '../core/vault/vault-session.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { KeywardError } from '../core/errors.js';
import { createTestVault, distinctiveSecret, testDeps, testPassword, TEST_KDF_ITERATIONS } from './helpers/builders.js';
import { CliVault } from './helpers/cli.js';
import { useTempDirs } from './helpers/temp-dirs.js';
import { flipByte, forgeHeader, framesOf, regionsOf, withValidChecksum, withVersion, type VaultRegions } from './helpers/vault-file.js';
import { FORMAT_VERSION } from '../core/vault/format/index.js';

const tempDir = useTempDirs();

/** The error an unlock attempt fails with (fails the test if it opens). */
async function unlockError(path: string, password: string, deps: VaultDeps = testDeps()): Promise<KeywardError> {
  try {
    const session = await unlockVault(path, { password }, deps);
    session.lock();
  } catch (err) {
    if (err instanceof KeywardError) return err;
    throw err;
  }
  throw new Error('the tampered vault opened');
}

/** A vault with two credentials and a few generations (so backups exist). */
async function pristineVault() {
  const dir = await tempDir();
  const v = await createTestVault(dir);
  await v.service.add({ name: 'alpha', type: 'secret' }, { value: distinctiveSecret('alpha') });
  await v.service.add({ name: 'beta', type: 'secret' }, { value: distinctiveSecret('beta') });
  v.session.lock();
  return { ...v, dir, bytes: await readFile(v.path) };
}

const REGIONS: (keyof VaultRegions)[] = [
  'magic',
  'version',
  'headerLength',
  'header',
  'kdfIterations',
  'kdfSalt',
  'passwordWrap',
  'bodyNonce',
  'bodyCiphertext',
  'tag',
  'checksum',
];

describe('a byte flipped in any region of the file', () => {
  it.each(REGIONS)('%s → refused as damaged (never AUTH_FAILED), the file untouched, the lockout counter unchanged', async (region) => {
    const v = await pristineVault();
    const r = regionsOf(v.bytes)[region];
    for (const offset of new Set([r.start, Math.floor((r.start + r.end - 1) / 2), r.end - 1])) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const tampered = flipByte(v.bytes, offset, mask);
        await writeFile(v.path, tampered);
        const err = await unlockError(v.path, v.password);
        const label = `${region} byte ${offset} ^ ${mask}: ${err.message}`;
        if (region === 'version' && tampered.readUInt16BE(8) > FORMAT_VERSION) {
          // docs/vault-format.md §15: the version is read before the checksum (a newer format may
          // checksum differently), so a damaged version field reads as a newer version. Still exit 5.
          expect(err.code, label).toBe('UNSUPPORTED_VERSION');
        } else {
          expect(err.code, label).toBe('CORRUPTED');
          expect(err.message).toMatch(/corrupted|tampered|not a Keyward vault|truncated/i);
        }
        expect((await readFile(v.path)).equals(tampered)).toBe(true);
      }
    }
    expect(await new Lockout(v.deps.fs, v.deps.clock, vaultPaths(v.path).lockout).failures()).toBe(0);
  });

  it('every single byte of a whole file, one at a time → refused before any key derivation', async () => {
    const { bytes } = await pristineVault();
    for (let offset = 0; offset < bytes.length; offset++) {
      let code: string | undefined;
      try {
        checkVaultFile(flipByte(bytes, offset, 0xff));
      } catch (err) {
        code = (err as KeywardError).code;
      }
      expect(code, `byte ${offset}`).toBe(offset === 8 || offset === 9 ? 'UNSUPPORTED_VERSION' : 'CORRUPTED');
    }
  });

  it('probing a damaged file (what the unlock screen does) says CORRUPTED and offers the backups', async () => {
    const v = await pristineVault();
    await writeFile(v.path, flipByte(v.bytes, regionsOf(v.bytes).bodyCiphertext.start));
    const err = await probeVault(v.path, v.deps).catch((e: unknown) => e as KeywardError);
    expect(err).toBeInstanceOf(KeywardError);
    expect((err as KeywardError).code).toBe('CORRUPTED');
    expect((err as KeywardError).toInfo().backups?.length).toBeGreaterThan(0);
  });

  it('a running session refuses to write over a file that was damaged or forged after it unlocked', async () => {
    const dir = await tempDir();
    const v = await createTestVault(dir);
    await v.service.add({ name: 'one', type: 'secret' }, { value: distinctiveSecret() });
    const good = await readFile(v.path);
    const damaged: [string, Buffer][] = [
      ['checksum byte', flipByte(good, regionsOf(good).checksum.start)],
      ['tag byte, checksum recomputed', withValidChecksum(flipByte(good, regionsOf(good).tag.start))],
      ['generation forged, checksum recomputed', forgeHeader(good, (h) => (h.generation += 5))],
    ];
    for (const [label, tampered] of damaged) {
      await writeFile(v.path, tampered);
      // A later edit in place: file timestamps are coarse (one kernel tick), so date it a moment later.
      const later = new Date(Date.now() + 2000);
      await utimes(v.path, later, later);
      await expect(v.service.add({ name: 'two', type: 'secret' }, { value: distinctiveSecret() }), label).rejects.toMatchObject({
        code: 'CORRUPTED',
      });
      expect((await readFile(v.path)).equals(tampered), label).toBe(true);
    }
    v.session.lock();
  });
});

describe('a header forged with a recomputed checksum', () => {
  type Edit = (h: Record<string, unknown> & { kdf: { iterations: number; salt: string; algorithm: string } }) => void;
  const cases: [string, 'AUTH_FAILED' | 'CORRUPTED', Edit, RegExp?][] = [
    ['iterations raised', 'AUTH_FAILED', (h) => (h.kdf.iterations += 1)],
    ['iterations lowered, still above the floor', 'AUTH_FAILED', (h) => (h.kdf.iterations = TEST_KDF_ITERATIONS + 1)],
    ['iterations below the floor (99,999)', 'CORRUPTED', (h) => (h.kdf.iterations = 99_999), /below the minimum of 100000/],
    ['iterations of 1', 'CORRUPTED', (h) => (h.kdf.iterations = 1), /below the minimum/],
    ['iterations absurdly high', 'CORRUPTED', (h) => (h.kdf.iterations = 4_000_000_000), /implausibly high/],
    ['iterations not a number', 'CORRUPTED', (h) => ((h.kdf as { iterations: unknown }).iterations = '600000'), /iteration count/],
    ['another 32-byte salt', 'AUTH_FAILED', (h) => (h.kdf.salt = randomBytes(32).toString('base64'))],
    ['an empty salt', 'CORRUPTED', (h) => (h.kdf.salt = ''), /salt/],
    ['a short salt', 'CORRUPTED', (h) => (h.kdf.salt = randomBytes(8).toString('base64')), /salt/],
    ['another KDF algorithm', 'CORRUPTED', (h) => (h.kdf.algorithm = 'pbkdf2-hmac-sha1'), /key-derivation algorithm/],
    ['another vault id', 'AUTH_FAILED', (h) => (h.vaultId = '00000000-0000-4000-8000-000000000000')],
    ['the keychain flag flipped', 'CORRUPTED', (h) => (h.keychain = !h.keychain), /password is right/],
    // v2: the snapshot carries the generation it was written at, so a forged one is caught before any KDF.
    ['the generation changed', 'CORRUPTED', (h) => ((h.generation as number) += 1), /snapshot does not match its header/],
    ['an unknown extra field', 'CORRUPTED', (h) => (h.extra = 1), /password is right/],
    ['the key wrap cut short', 'CORRUPTED', (h) => ((h.passwordWrap as { ciphertext: string }).ciphertext = 'AAAA'), /key wrap/],
  ];

  it.each(cases)('%s → %s, never opens, file untouched', async (_label, code, edit, message) => {
    const v = await pristineVault();
    const forged = forgeHeader(v.bytes, edit as never);
    await writeFile(v.path, forged);
    const err = await unlockError(v.path, v.password);
    expect(err.code, err.message).toBe(code);
    if (message) expect(err.message).toMatch(message);
    expect((await readFile(v.path)).equals(forged)).toBe(true);
  });

  it('the same JSON with different whitespace does not authenticate (the header bytes are the AAD)', async () => {
    const v = await pristineVault();
    const { header } = regionsOf(v.bytes);
    const json = JSON.stringify(JSON.parse(v.bytes.subarray(header.start, header.end).toString('utf8')), null, 1);
    const forged = forgeHeader(v.bytes, () => undefined);
    expect(forged.equals(v.bytes)).toBe(true);
    const spaced = Buffer.from(json);
    const prefix = Buffer.from(v.bytes.subarray(0, 14));
    prefix.writeUInt32BE(spaced.length, 10);
    const file = withValidChecksum(Buffer.concat([prefix, spaced, v.bytes.subarray(header.end)]));
    await writeFile(v.path, file);
    expect((await unlockError(v.path, v.password)).code).toBe('CORRUPTED');
  });

  it("another vault's header (whose password the attacker knows) spliced onto this body never opens", async () => {
    const v = await pristineVault();
    const other = await createTestVault(await tempDir(), { password: 'attacker-knows-this' });
    other.session.lock();
    const otherBytes = await readFile(other.path);
    const mine = regionsOf(v.bytes);
    const theirs = regionsOf(otherBytes);
    const spliced = withValidChecksum(
      Buffer.concat([otherBytes.subarray(0, theirs.header.end), v.bytes.subarray(mine.header.end)]),
    );
    await writeFile(v.path, spliced);
    const err = await unlockError(v.path, 'attacker-knows-this');
    expect(err.code).toBe('CORRUPTED');
    expect((await unlockError(v.path, v.password)).code).toBe('AUTH_FAILED');
  });

  it('through the CLI: a raised iteration count is a wrong password (exit 3); one below the floor is exit 5', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    const original = await readFile(cli.path);
    await writeFile(cli.path, forgeHeader(original, (h) => (h.kdf.iterations += 1000)));
    const raised = await cli.run(['list']);
    expect(raised.code).toBe(3);
    expect(raised.stderr).toMatch(/Wrong master password/);
    await writeFile(cli.path, forgeHeader(original, (h) => (h.kdf.iterations = 50_000)));
    const lowered = await cli.run(['list']);
    expect(lowered.code).toBe(5);
    expect(lowered.stderr).toMatch(/50000 PBKDF2 iterations is below the minimum of 100000/);
  });
});

describe('files that are not a readable Keyward vault', () => {
  async function expectRefused(contents: Buffer, code: 'CORRUPTED' | 'UNSUPPORTED_VERSION', message: RegExp) {
    const dir = await tempDir();
    const path = join(dir, 'vault.keyward');
    await writeFile(path, contents);
    const err = await unlockError(path, testPassword());
    expect(err.code, err.message).toBe(code);
    expect(err.message).toMatch(message);
    expect((await readFile(path)).equals(contents)).toBe(true);
    expect(await readdir(dir)).toEqual(['vault.keyward']); // no lockout file, no temp file, no backup
    return err;
  }

  it('an empty file', async () => {
    await expectRefused(Buffer.alloc(0), 'CORRUPTED', /empty/);
  });

  it('random bytes', async () => {
    await expectRefused(randomBytes(4096), 'CORRUPTED', /not a Keyward vault/);
  });

  it('a text file', async () => {
    await expectRefused(Buffer.from('{"entries": []}\n'), 'CORRUPTED', /not a Keyward vault/);
  });

  it('the magic and version 1 followed by random bytes', async () => {
    await expectRefused(Buffer.concat([Buffer.from('KEYWARD\0\0\x01', 'latin1'), randomBytes(600)]), 'CORRUPTED', /corrupted|truncated/);
  });

  it('truncated at every interesting length up to the end of the snapshot', async () => {
    const { bytes } = await pristineVault();
    const r = regionsOf(bytes);
    const snapshot = framesOf(bytes)[0]!;
    // A cut into a record after the snapshot is a torn write, which opens without it: vault-format-v2.test.ts.
    for (const length of [3, 8, 9, 13, 14, r.header.start + 10, r.header.end, r.header.end + 3, r.bodyNonce.end, snapshot.tag.start, snapshot.end - 32, snapshot.end - 1]) {
      // Shorter than the magic it cannot be told from another file type (docs/vault-format.md §9 step 1).
      await expectRefused(bytes.subarray(0, length), 'CORRUPTED', length < 8 ? /not a Keyward vault/ : /truncated|corrupted|tampered/);
    }
  });

  it('a file of a newer format version → UNSUPPORTED_VERSION saying it is newer', async () => {
    const { bytes } = await pristineVault();
    const err = await expectRefused(withVersion(bytes, 3), 'UNSUPPORTED_VERSION', /newer/);
    expect(err.message).toMatch(/version 3/);
    await expectRefused(withVersion(bytes, 0xffff), 'UNSUPPORTED_VERSION', /newer Keyward/);
  });

  it('a version field of 0 → CORRUPTED', async () => {
    const { bytes } = await pristineVault();
    await expectRefused(withVersion(bytes, 0), 'CORRUPTED', /invalid format version/);
  });

  it('through the CLI: exit 5 with a message saying what is wrong, for every kind', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    const good = await readFile(cli.path);
    const kinds: [string, Buffer, RegExp][] = [
      ['empty', Buffer.alloc(0), /is empty: it is not a Keyward vault/],
      ['random', randomBytes(1000), /is not a Keyward vault/],
      ['truncated', good.subarray(0, good.length - 40), /truncated|checksum does not match/],
      ['flipped', flipByte(good, regionsOf(good).bodyCiphertext.start), /corrupted or tampered/],
      ['newer', withVersion(good, 7), /format version 7, written by a newer Keyward/],
    ];
    for (const [label, contents, message] of kinds) {
      await writeFile(cli.path, contents);
      for (const command of label === 'flipped' ? [['list'], ['add', 'x', '--type', 'secret']] : [['list']]) {
        const r = await cli.run(command, { stdin: 'value\n' });
        expect(r.code, `${label} ${command[0]}: ${r.stderr}`).toBe(5);
        expect(r.stderr).toMatch(message);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).not.toMatch(/Wrong master password|\n\s+at /);
        expect((await readFile(cli.path)).equals(contents)).toBe(true);
      }
    }
  });
});

describe('restoring the newest intact backup', () => {
  it('is offered in the error, skips damaged backups, and brings the vault back', async () => {
    const dir = await tempDir();
    const v = await createTestVault(dir);
    const values: Record<string, string> = {};
    for (const name of ['one', 'two', 'three']) {
      values[name] = distinctiveSecret(name);
      await v.service.add({ name, type: 'secret' }, { value: values[name]! });
    }
    v.session.lock();
    const paths = vaultPaths(v.path);
    const backups = (await readdir(paths.backupsDir)).sort().reverse();
    expect(backups.length).toBe(3); // generations 1..3 were kept when 2..4 were written
    // Damage the vault and its newest backup: the one before must be chosen.
    const current = await readFile(v.path);
    await writeFile(v.path, flipByte(current, regionsOf(current).bodyCiphertext.start));
    const newest = join(paths.backupsDir, backups[0]!);
    const newestBytes = await readFile(newest);
    await writeFile(newest, flipByte(newestBytes, regionsOf(newestBytes).tag.start));

    const err = await unlockError(v.path, v.password);
    expect(err.code).toBe('CORRUPTED');
    expect(err.toInfo().backups?.[0]).toBe(backups[1]);
    expect(err.message).toContain(backups[1]);
    // The core names the backup; the CLI adds its own command (checked below), the app its own button.
    expect(err.message).not.toMatch(/restore-backup/);

    const restored = await restoreBackupFile(v.path, undefined, v.deps);
    expect(restored).toBe(backups[1]);
    const reopened = await unlockVault(v.path, { password: v.password }, v.deps);
    expect(reopened.state.credentials.map((c) => c.name)).toEqual(['one']);
    // The tampered file it replaced was kept, byte for byte, among the backups.
    const kept = await Promise.all((await readdir(paths.backupsDir)).map((f) => readFile(join(paths.backupsDir, f))));
    expect(kept.some((b) => b.equals(flipByte(current, regionsOf(current).bodyCiphertext.start)))).toBe(true);
    reopened.lock();
  });

  it('through the CLI: exit 5 names the backup, restore-backup restores it, and writes work again', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    const first = distinctiveSecret('first');
    await cli.expectOk(['add', 'first', '--type', 'secret'], { stdin: first });
    await cli.expectOk(['add', 'second', '--type', 'secret'], { stdin: distinctiveSecret() });
    const good = await readFile(cli.path);
    await writeFile(cli.path, flipByte(good, regionsOf(good).checksum.start + 3));

    const broken = await cli.run(['get', 'first']);
    expect(broken.code).toBe(5);
    expect(broken.stderr).toMatch(/newest intact backup is \S+\.keyward .*restore-backup/);
    expect(broken.stderr).toMatch(/The file was not modified/);

    const restore = await cli.run(['restore-backup'], { password: null });
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/Restored \S+\.keyward/);
    expect((await cli.expectOk(['get', 'first'])).stdout).toBe(`${first}\n`);
    const names = (await cli.json<{ name: string }[]>(['list'])).map((c) => c.name);
    expect(names).toEqual(['first']);
    await cli.expectOk(['add', 'third', '--type', 'secret'], { stdin: distinctiveSecret() });
    expect((await cli.json<{ name: string }[]>(['list'])).map((c) => c.name)).toEqual(['first', 'third']);
  });

  it('restore-backup refuses names that are not backups (exit 2) and missing ones (exit 4)', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    expect((await cli.run(['restore-backup'])).code).toBe(4); // no backup yet
    const bad = await cli.run(['restore-backup', '../../etc/passwd']);
    expect(bad.code).toBe(2);
    expect((await cli.run(['restore-backup', '2020-01-01T00-00-00-000Z.g00000001.keyward'])).code).toBe(4);
  });
});

describe('tampering is told apart from a wrong password', () => {
  it('a wrong password on an intact file is AUTH_FAILED and counts; the file is untouched', async () => {
    const v = await pristineVault();
    const err = await unlockError(v.path, `${v.password}x`);
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.message).toMatch(/Wrong master password/);
    expect((await readFile(v.path)).equals(v.bytes)).toBe(true);
    expect(await new Lockout(v.deps.fs, v.deps.clock, vaultPaths(v.path).lockout).failures()).toBe(1);
  });
});
