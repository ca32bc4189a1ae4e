/**
 * Credentials decoded on demand (issue 11; docs/vault-format.md V2.3, the
 * snapshot's index): the CLI opens a vault of many chunks and decodes only the
 * chunk it needs, answering exactly what an eager read answers — with the
 * changes after the snapshot (renames, removals, additions, edits) replayed —
 * and anything that needs the whole list (a count aside) gets the same body an
 * eager read gives. Real files, real crypto.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialById, credentialsNamedLike, eachCredential } from '../core/vault/credential-index.js';
import { decodeOnDemandPaced, eachCredentialOnDemand, hasCredentialsOnDemand, withCredentialsOnDemand } from '../core/vault/credentials-on-demand.js';
import { CREDENTIALS_PER_CHUNK, encodeSnapshot, openIndexedSnapshot } from '../core/vault/format/v2/records.js';
import type { StoredCredential, VaultBody } from '../core/vault/body.js';
import { appendCredentials, applyChangeToCredentials, editCredential, freezeCredential, putCredential, removeCredential } from '../core/vault/vault-change.js';
import { createVault, unlockVault, type VaultSession } from '../core/vault/vault-session.js';
import { serviceFor, testDeps, testPassword, TEST_KDF_ITERATIONS } from './helpers/builders.js';
import { useTempDirs } from './helpers/temp-dirs.js';
import { uuidOf as idOf } from './helpers/stored-credential.js';
import { runCli } from './helpers/cli.js';
import { EXIT } from '../cli/exit-codes.js';

const tempDir = useTempDirs();


function record(session: VaultSession, i: number): StoredCredential {
  const id = idOf(i);
  const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  return {
    id,
    name: `Service-${i}/prod`,
    type: 'api_key',
    provider: `provider-${i % 7}`,
    description: `credential ${i}`,
    tags: ['prod'],
    active: true,
    createdAt: at,
    updatedAt: at,
    lastRotatedAt: null,
    expiresAt: null,
    fields: { keyId: `K${i}` },
    versions: [{ version: 1, createdAt: at, stage: 'current', origin: 'initial', ...session.sealValue(id, 1, `value-${i}`) }],
  };
}

/** A vault of 1,207 credentials (three chunks) compacted into one indexed snapshot, then changed by four saves appended after it. */
async function changedVault() {
  const dir = await tempDir();
  const path = join(dir, 'vault.keyward');
  const password = testPassword();
  const deps = testDeps();
  const session = await createVault(path, { password, kdfIterations: TEST_KDF_ITERATIONS, useKeychain: false }, deps);
  const count = CREDENTIALS_PER_CHUNK * 2 + 207;
  await session.transact((body) => {
    appendCredentials(body, Array.from({ length: count }, (_, i) => record(session, i)));
    body.encryptions.secrets += count;
  });
  await session.compactNow({ force: true });
  const svc = serviceFor(session, 'test');
  // Saves after the snapshot, each one change record: a rename out of chunk 0, a removal from chunk 1, an edit in
  // chunk 2, a new credential, and a new credential under the name the rename freed.
  await svc.update('Service-3/prod', { name: 'renamed-3' });
  await session.transact((body) => void removeCredential(body, idOf(600)));
  await session.transact((body) => void (editCredential(body, idOf(1100)).description = 'edited after the snapshot'));
  await svc.add({ name: 'added-later', type: 'secret' }, { value: 'later-value' });
  await svc.add({ name: 'Service-3/prod', type: 'secret' }, { value: 'reused-name' });
  const eager = structuredClone(session.state);
  session.lock();
  const open = () => unlockVault(path, { password }, deps, { credentials: 'on-demand' });
  return { path, password, deps, eager, count, open };
}

/**
 * `body`'s snapshot plaintext, opened as the codec opens it, as a body on demand whose chunk decoder notes
 * each chunk it decodes in `decoded`.
 */
function watchedOnDemand(body: VaultBody, decoded: number[]): VaultBody {
  const indexed = openIndexedSnapshot([encodeSnapshot(body)])!;
  const decode = indexed.chunks.decode.bind(indexed.chunks);
  const { credentials: _all, ...head } = structuredClone(body);
  const chunks = { length: indexed.chunks.length, keysComparable: indexed.chunks.keysComparable, entries: (i: number) => indexed.chunks.entries(i), mentioning: (t: string) => indexed.chunks.mentioning(t), wipe: () => indexed.chunks.wipe(), decode: (i: number) => (decoded.push(i), decode(i)) };
  return withCredentialsOnDemand(head, chunks, [], { freeze: freezeCredential, applyCredentials: applyChangeToCredentials });
}

describe('credentials decoded on demand', () => {
  it('a lookup decodes only the chunk it needs, with the changes after the snapshot replayed; the whole list is the eager body', async () => {
    const v = await changedVault();
    const session = await v.open();
    try {
      const body = session.state;
      expect(hasCredentialsOnDemand(body)).toBe(true);
      // Counted from the index and the changes: 1,207 − 1 removed + 2 added.
      expect(session.info.credentialCount).toBe(v.count + 1);
      const one = (name: string) => credentialsNamedLike(body, name).map((c) => [c.id, c.name, c.description]);
      expect(one('SERVICE-700/PROD')).toEqual([[idOf(700), 'Service-700/prod', 'credential 700']]);
      expect(one('renamed-3')).toEqual([[idOf(3), 'renamed-3', 'credential 3']]);
      // The name the rename freed now names the credential added under it, not the one in the snapshot.
      expect(one('service-3/prod')).toEqual([[expect.not.stringMatching(new RegExp(`^${idOf(3)}$`)), 'Service-3/prod', '']]);
      expect(one('Service-1100/prod')).toEqual([[idOf(1100), 'Service-1100/prod', 'edited after the snapshot']]);
      expect(one('added-later')).toEqual([[expect.any(String), 'added-later', '']]);
      expect(credentialById(body, idOf(601))?.name).toBe('Service-601/prod');
      expect(credentialById(body, idOf(600))).toBeUndefined();
      expect(credentialById(body, 'no-such-id')).toBeUndefined();
      // A value opens from a credential found this way.
      const found = credentialsNamedLike(body, 'Service-1206/prod')[0]!;
      expect(session.openValue(found.id, 1, found.versions[0]!)).toBe('value-1206');
      // None of that needed the whole list.
      expect(hasCredentialsOnDemand(body)).toBe(true);

      // A name no credential has: the whole list answers (as an eager read would), and stays.
      expect(credentialsNamedLike(body, 'service-600/prod')).toEqual([]);
      expect(hasCredentialsOnDemand(body)).toBe(false);
      expect(structuredClone(session.state)).toEqual(v.eager);
    } finally {
      session.lock();
    }
  });

  it('decodes one chunk for one credential, and each chunk at most once', async () => {
    const v = await changedVault();
    const session = await v.open();
    const body = structuredClone({ ...v.eager, credentials: v.eager.credentials.slice(0, CREDENTIALS_PER_CHUNK * 3) });
    session.lock();
    const decoded: number[] = [];
    const lazy = watchedOnDemand(body, decoded);
    const wanted = body.credentials[CREDENTIALS_PER_CHUNK * 2 + 5]!;
    expect(credentialsNamedLike(lazy, wanted.name.toUpperCase())).toEqual([wanted]);
    expect(credentialById(lazy, body.credentials[CREDENTIALS_PER_CHUNK * 2 + 6]!.id)).toEqual(body.credentials[CREDENTIALS_PER_CHUNK * 2 + 6]);
    expect(decoded).toEqual([2]);
    expect(lazy.credentials).toEqual(body.credentials);
    expect(decoded).toEqual([2, 0, 1]);
    // A snapshot without an index (written before it, or uncompressed) is not opened this way: it is decoded whole.
    expect(openIndexedSnapshot([encodeSnapshot(body, { compressed: false })])).toBeNull();
  });

  it('a scan visits every credential in the eager order, a chunk at a time, keeping none; changes that place credentials make the whole list', async () => {
    const v = await changedVault();
    const session = await v.open();
    try {
      const visited: unknown[] = [];
      eachCredential(session.state, (c) => visited.push(structuredClone(c)));
      expect(visited).toEqual(v.eager.credentials);
      // The list's service scan is this one: the same summaries, and nothing kept.
      expect((await serviceFor(session, 'test').list()).map((c) => c.name)).toEqual(v.eager.credentials.map((c) => c.name));
      expect(hasCredentialsOnDemand(session.state)).toBe(true);
    } finally {
      session.lock();
    }

    // A removed credential put back where it stood (an undone delete) is placed by position: only the list can say where.
    const writer = await unlockVault(v.path, { password: v.password }, v.deps);
    const putBack = credentialById(writer.state, idOf(100))!;
    await writer.transact((body) => void removeCredential(body, idOf(100)));
    await writer.transact((body) => putCredential(body, structuredClone(putBack), 100));
    const eager = structuredClone(writer.state.credentials);
    writer.lock();
    const placed = await v.open();
    try {
      expect(eachCredentialOnDemand(placed.state, () => undefined)).toBe(false);
      const visited: unknown[] = [];
      eachCredential(placed.state, (c) => visited.push(structuredClone(c)));
      expect(visited).toEqual(eager);
      expect(visited[100]).toMatchObject({ id: idOf(100) });
    } finally {
      placed.lock();
    }
  });

  it('decodes in the background a chunk between pauses, and stops when no longer wanted', async () => {
    const v = await changedVault();
    const session = await v.open();
    const body = structuredClone({ ...v.eager, credentials: v.eager.credentials.slice(0, CREDENTIALS_PER_CHUNK * 3) });
    session.lock();
    // Every chunk decoded after a pause of its own, then the list made whole.
    const steps: string[] = [];
    const decoded: number[] = [];
    const lazy = watchedOnDemand(body, decoded);
    const pacer = { pause: async () => void steps.push(`pause after ${decoded.length}`) };
    await decodeOnDemandPaced(lazy, pacer, () => true);
    expect(steps).toEqual(['pause after 0', 'pause after 1', 'pause after 2', 'pause after 3']);
    expect(decoded).toEqual([0, 1, 2]);
    expect(hasCredentialsOnDemand(lazy)).toBe(false);
    expect(lazy.credentials).toEqual(body.credentials);

    // No longer wanted (the session locked, its body replaced): it stops, and what it decoded is kept for later.
    const stopped: number[] = [];
    const halfway = watchedOnDemand(body, stopped);
    await decodeOnDemandPaced(halfway, { pause: async () => undefined }, () => stopped.length < 2);
    expect(stopped).toEqual([0, 1]);
    expect(hasCredentialsOnDemand(halfway)).toBe(true);
    expect(halfway.credentials).toEqual(body.credentials);
    expect(stopped).toEqual([0, 1, 2]);
  });

  it('the app unlocks before the list is decoded, and has the eager body once it is; a lock ends the decoding', async () => {
    const v = await changedVault();
    const session = await unlockVault(v.path, { password: v.password }, v.deps, { credentials: 'in-background' });
    try {
      // Usable at once: the count and a lookup come from the index, whatever the decoding has reached.
      expect(session.info.credentialCount).toBe(v.count + 1);
      expect(credentialsNamedLike(session.state, 'renamed-3').map((c) => c.id)).toEqual([idOf(3)]);
      await session.credentialsDecoded();
      expect(hasCredentialsOnDemand(session.state)).toBe(false);
      expect(structuredClone(session.state)).toEqual(v.eager);
    } finally {
      session.lock();
    }
    const locked = await unlockVault(v.path, { password: v.password }, v.deps, { credentials: 'in-background' });
    locked.lock();
    await locked.credentialsDecoded();
    expect(locked.isLocked).toBe(true);
  });

  it('names that differ only by case (a vault from before they were refused), one edited after the snapshot: the same answer, in the same order, as an eager read', async () => {
    const dir = await tempDir();
    const path = join(dir, 'vault.keyward');
    const password = testPassword();
    const deps = testDeps();
    const session = await createVault(path, { password, kdfIterations: TEST_KDF_ITERATIONS, useKeychain: false }, deps);
    await session.transact((body) => {
      const records = Array.from({ length: 600 }, (_, i) => record(session, i));
      // Put in the list directly, as an older Keyward did: today's checks refuse the second name.
      records[10] = { ...records[10]!, name: 'Shared-Name' };
      records[550] = { ...records[550]!, name: 'SHARED-NAME' };
      appendCredentials(body, records);
      body.encryptions.secrets += records.length;
    });
    await session.compactNow({ force: true });
    await session.transact((body) => void (editCredential(body, idOf(10)).description = 'edited'));
    session.lock();

    const eager = await unlockVault(path, { password }, deps);
    const onDemand = await unlockVault(path, { password }, deps, { credentials: 'on-demand' });
    try {
      // The edit's credential, handed out before the list is made, is frozen as the list's are.
      const edited = credentialById(onDemand.state, idOf(10))!;
      expect(hasCredentialsOnDemand(onDemand.state)).toBe(true);
      expect(Object.isFrozen(edited) && Object.isFrozen(edited.versions)).toBe(true);
      const order = (s: VaultSession) => credentialsNamedLike(s.state, 'shared-name').map((c) => [c.id, c.description]);
      expect(order(onDemand)).toEqual(order(eager));
      expect(order(eager)).toEqual([
        [idOf(550), 'credential 550'],
        [idOf(10), 'edited'],
      ]);
      expect(hasCredentialsOnDemand(onDemand.state)).toBe(false);
    } finally {
      eager.lock();
      onDemand.lock();
    }
  });

  it('a save from a body not yet decoded keeps every credential; locking never decodes it', async () => {
    const v = await changedVault();
    const session = await v.open();
    const svc = serviceFor(session, 'test');
    await svc.add({ name: 'one-more', type: 'secret' }, { value: 'one-more-value' });
    session.lock();
    const again = await unlockVault(v.path, { password: v.password }, v.deps);
    try {
      expect(again.state.credentials.map((c) => c.name)).toEqual([...v.eager.credentials.map((c) => c.name), 'one-more']);
    } finally {
      again.lock();
    }

    const untouched = await v.open();
    expect(hasCredentialsOnDemand(untouched.state)).toBe(true);
    untouched.lock();
    expect(untouched.isLocked).toBe(true);
  });


  it('the CLI answers get, show, env and list from a vault of several chunks changed after its snapshot, as the file says', async () => {
    const v = await changedVault();
    const env = { KEYWARD_STATE_DIR: join(v.path, '..', 'cli-state') };
    const cli = (args: string[]) => runCli(v.path, args, { password: v.password, env });
    const value = async (name: string) => {
      const r = await cli(['get', name]);
      expect(r, name).toMatchObject({ code: 0, stderr: '' });
      return r.stdout.trim();
    };
    expect(await value('Service-1206/prod')).toBe('value-1206');
    expect(await value('renamed-3')).toBe('value-3');
    expect(await value('Service-3/prod')).toBe('reused-name');
    expect(await value('added-later')).toBe('later-value');
    const removed = await cli(['get', 'Service-600/prod']);
    expect(removed.code).toBe(EXIT.notFound);
    expect(removed.stderr).toMatch(/No credential named "Service-600\/prod"/);
    const shown = JSON.parse((await cli(['show', 'Service-1100/prod', '--json'])).stdout) as { description: string };
    expect(shown.description).toBe('edited after the snapshot');
    const exported = await cli(['env', 'Service-1206/prod']);
    expect(exported.stdout).toContain("='value-1206'");
    const listed = JSON.parse((await cli(['list', '--json'])).stdout) as { name: string }[];
    expect(listed.map((c) => c.name)).toEqual(v.eager.credentials.map((c) => c.name));
  });
});
