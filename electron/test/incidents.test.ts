/**
 * The watch over the audit trail, end to end (issue 12; docs/audit-format.md
 * §9): anomalies found as records are chained — in whichever process chains
 * them — incidents opened, recorded in the trail, acknowledged and resolved;
 * the watch's files sealed, rebuilt when lost, set aside when damaged.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../shared/incidents.js';
import { openCore } from '../core/composition.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { distinctiveSecret, strongPassword, TEST_KDF_ITERATIONS, testDeps } from './helpers/builders.js';
import { CliVault } from './helpers/cli.js';
import { useTempDirs } from './helpers/temp-dirs.js';
import { findInAnyEncoding } from './helpers/vault-file.js';

const tempDir = useTempDirs();

async function watchedVault(credentials = 16) {
  const dir = await tempDir();
  const path = join(dir, 'vault.keyward');
  const password = strongPassword() + strongPassword();
  const opened: Incident[] = [];
  const core = openCore({ actor: 'test', deps: testDeps({ stateDir: join(dir, 'state') }), onIncidents: (incidents) => opened.push(...incidents) });
  const vault = await core.vault(path).create({ password, useKeychain: false, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' });
  const secrets: string[] = [];
  for (let i = 0; i < credentials; i++) {
    secrets.push(distinctiveSecret(`svc${i}`));
    await vault.credentials.add({ name: `service-${i}`, type: 'api_key' }, { value: secrets[i]! });
  }
  return { dir, path, password, core, vault, opened, secrets, files: vaultPaths(path).audit, reopen: () => core.vault(path).unlock({ password }) };
}

describe('the watch over the trail', () => {
  it('opens an incident for a sweep as it happens, records its opening in the chain, and keeps it sealed', async () => {
    const w = await watchedVault(16);
    for (let i = 0; i < 14; i++) await w.vault.credentials.reveal(`service-${i}`);
    expect(w.opened).toEqual([]);
    await w.vault.credentials.reveal('service-14');
    expect(w.opened).toHaveLength(1);
    const [sweep] = w.opened as [Incident];
    expect(sweep).toMatchObject({ kind: 'sweep', severity: 'high', status: 'open', responses: ['notify', 'lock'] });
    expect(sweep.explanation).toMatch(/^15 different credentials were read within 5 minutes/);
    // The records behind it are the fifteen reads, by their place in the chain.
    const reads = await w.vault.auditRecords({ action: 'reveal' });
    expect(sweep.seqs).toEqual(reads.map((r) => r.seq));
    const tail = await w.vault.auditRecords({ action: 'incident.' });
    expect(tail.map((r) => r.action)).toEqual(['incident.open.sweep']);
    expect(tail[0]!.seq).toBe(reads.at(-1)!.seq + 1);
    // Once per window: the sixteenth read opens nothing more.
    await w.vault.credentials.reveal('service-15');
    expect(w.opened).toHaveLength(1);
    const book = await w.vault.incidents();
    expect(book.incidents.map((i) => i.id)).toEqual([sweep.id]);
    // Sealed: neither the names nor a value in the watch's files.
    for (const file of [w.files.watch, w.files.incidents]) {
      const bytes = await readFile(file);
      expect(bytes.toString('latin1')).not.toContain('service-');
      for (const secret of w.secrets) expect(findInAnyEncoding(bytes, secret)).toBeNull();
    }
    expect(await w.vault.verifyAuditTrail()).toMatchObject({ intact: true });
    await w.vault.lock('user');
  });

  it('acknowledges and resolves with notes (each recorded); a resolved incident is listed only with all', async () => {
    const w = await watchedVault(1);
    await w.vault.rotation().markCompromised('service-0');
    const [incident] = w.opened as [Incident];
    expect(incident).toMatchObject({ kind: 'compromised', credential: 'service-0', responses: ['notify', 'flag-for-rotation'] });
    expect((await w.vault.rotation().overview()).items[0]).toMatchObject({ name: 'service-0', reason: 'compromised', status: 'overdue' });
    await expect(w.vault.updateIncident(incident.id, 'resolved', 'rotated at Stripe')).resolves.toMatchObject({ status: 'resolved' });
    await expect(w.vault.updateIncident(incident.id, 'acknowledged')).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/already resolved/) });
    await expect(w.vault.updateIncident('inc-000000000000', 'acknowledged')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(w.vault.updateIncident('../../etc', 'acknowledged')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await w.vault.incidents()).incidents).toEqual([]);
    const all = await w.vault.incidents({ all: true });
    expect(all.incidents[0]!.notes).toEqual([expect.objectContaining({ status: 'resolved', note: 'rotated at Stripe' })]);
    const actions = (await w.vault.auditRecords({ action: 'incident.' })).map((r) => [r.action, r.outcome]);
    expect(actions).toEqual([
      ['incident.open.compromised', 'success'],
      ['incident.resolved', 'success'],
      ['incident.acknowledged', 'failure'],
      ['incident.acknowledged', 'failure'],
      ['incident.acknowledged', 'failure'],
      ['incident.list', 'success'],
      ['incident.list', 'success'],
    ]);
    // Rotating it clears the flag.
    await w.vault.credentials.rotate('service-0', { value: distinctiveSecret('new') });
    expect((await w.vault.rotation().overview()).items[0]!.reason).not.toBe('compromised');
    await w.vault.lock('user');
  });

  it('a failed verification is a critical incident', async () => {
    const w = await watchedVault(1);
    const log = (await readFile(w.files.log, 'utf8')).split('\n');
    log[1] = log[1]!.replace('"test"', '"app"');
    await writeFile(w.files.log, log.join('\n'));
    expect((await w.vault.verifyAuditTrail()).intact).toBe(false);
    expect(w.opened.map((i) => [i.kind, i.severity])).toEqual([['tamper', 'critical']]);
    // The person who ran it is reading what it found: it notifies, it does not lock them out of it.
    expect(w.opened[0]!.responses).toEqual(['notify']);
    expect(w.opened[0]!.explanation).toMatch(/Verifying the audit trail failed/);
    await w.vault.lock('user');
  });

  it('watches across processes: five wrong passwords at the CLI, then the next unlock opens the incident and says so on stderr', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    for (let i = 0; i < 5; i++) expect((await cli.run(['list'], { password: `wrong-${i}` })).code).toBe(3);
    // (Five wrong passwords also start the unlock backoff: 5 s before the next try.)
    await new Promise((resolve) => setTimeout(resolve, 5_200));
    const unlocked = await cli.run(['list']);
    expect(unlocked.code).toBe(0);
    expect(unlocked.stderr).toMatch(/keyward: INCIDENT inc-[0-9a-f]{12} \(high, failed-unlocks\): 5 wrong master passwords within 15 minutes/);
    const listed = await cli.json<Incident[]>(['incidents']);
    expect(listed.map((i) => i.kind)).toEqual(['failed-unlocks']);
    const id = listed[0]!.id;
    await cli.expectOk(['incident', 'ack', id, '--note', 'that was me, caps lock']);
    expect((await cli.json<Incident[]>(['incidents']))[0]).toMatchObject({ status: 'acknowledged', notes: [expect.objectContaining({ note: 'that was me, caps lock' })] });
    await cli.expectOk(['incident', 'resolve', id]);
    expect((await cli.run(['incidents'])).stdout).toMatch(/No open incidents/);
    const all = await cli.run(['incidents', '--all']);
    expect(all.stdout).toMatch(new RegExp(`${id}  HIGH  failed-unlocks  resolved`));
    const bad = await cli.run(['incident', 'close', id]);
    expect(bad.code).toBe(2);
    // Several CLI processes, one history: a sweep across 15 processes is seen.
    for (let i = 0; i < 15; i++) await cli.add(`key-${i}`, distinctiveSecret(`k${i}`), 'api_key');
    let warned = '';
    for (let i = 0; i < 15; i++) warned += (await cli.expectOk(['get', `key-${i}`])).stderr;
    expect(warned).toMatch(/INCIDENT inc-[0-9a-f]{12} \(high, sweep\)/);
    expect((await cli.run(['audit', 'verify'])).code).toBe(0);
  });

  it('the watch’s rules are the vault’s to change, with the master password: keyward incidents --rules / --set', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    expect((await cli.expectOk(['incidents', '--rules'])).stdout).toMatch(/sweep.credentials 15, sweep.minutes 5\n {2}reads of 15 or more different credentials within 5 minutes/);
    const low = await cli.run(['incidents', '--set', 'sweep.credentials=2']);
    expect(low.code).toBe(2);
    expect(low.stderr).toMatch(/sweep.credentials is a whole number from 3 to 100000/);
    expect((await cli.run(['incidents', '--set', 'sweep.credentials'])).code).toBe(2);
    await cli.expectOk(['incidents', '--set', 'sweep.credentials=3', '--set', 'lock.sweep=off']);
    expect((await cli.expectOk(['incidents', '--rules'])).stdout).toMatch(/sweep.credentials 3, sweep.minutes 5 {2}\(changed\)[\s\S]*\n {2}sweep \(high\): notified {2}\(changed\)\n/);
    for (let i = 0; i < 3; i++) await cli.add(`k-${i}`, distinctiveSecret(`r${i}`), 'api_key');
    let stderr = '';
    for (let i = 0; i < 3; i++) stderr += (await cli.expectOk(['get', `k-${i}`])).stderr;
    expect(stderr).toMatch(/INCIDENT inc-[0-9a-f]{12} \(high, sweep\): 3 different credentials/);
    expect((await cli.json<Incident[]>(['incidents']))[0]!.responses).toEqual(['notify']);
    await cli.expectOk(['incidents', '--reset-rules']);
    expect((await cli.expectOk(['incidents', '--rules'])).stdout).not.toMatch(/changed/);
  });

  it('an incidents file deleted or put back to an older copy (hiding an incident) is itself tampering, said once', async () => {
    const w = await watchedVault(2);
    const before = await readFile(w.files.incidents).catch(() => null);
    await w.vault.rotation().markCompromised('service-0');
    await w.vault.lock('user');
    // The attacker puts the file back as it was before the incident (here: there was none).
    if (before) await writeFile(w.files.incidents, before);
    else await rm(w.files.incidents);
    const vault = await w.reopen();
    await vault.credentials.reveal('service-1');
    expect(w.opened.map((i) => i.kind)).toEqual(['compromised', 'tamper']);
    expect(w.opened[1]!.explanation).toMatch(/holds 0 incidents, but the audit trail records 1 opened/);
    await vault.lock('user');
    const again = await w.reopen();
    await again.credentials.reveal('service-1');
    expect(w.opened.map((i) => i.kind)).toEqual(['compromised', 'tamper']);
    await again.lock('user');
  });

  it('rebuilds a lost or damaged state quietly from the trail, and sets a damaged incidents file aside as tampering', async () => {
    const w = await watchedVault(3);
    await w.vault.rotation().markCompromised('service-0');
    await w.vault.lock('user');
    await writeFile(w.files.watch, 'garbage');
    let vault = await w.reopen();
    await vault.credentials.reveal('service-1');
    // Nothing new from history: the old compromise is not opened again.
    expect(w.opened.map((i) => i.kind)).toEqual(['compromised']);
    expect((await vault.incidents()).incidents).toHaveLength(1);
    await vault.lock('user');
    await writeFile(w.files.incidents, Buffer.concat([await readFile(w.files.incidents, null), Buffer.from('x')]));
    vault = await w.reopen();
    expect(w.opened.map((i) => i.kind)).toEqual(['compromised', 'tamper']);
    expect(w.opened[1]!.explanation).toMatch(/incidents file could not be opened .* it was kept as .*\.incidents\.damaged-\d+/);
    await vault.lock('user');
  });
});
