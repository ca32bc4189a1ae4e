/**
 * Turns a vault file into the v1 file an older Keyward would have written for
 * the same header, body and key: to test the v1 reader and the upgrade to v2
 * on vaults a test builds with today's API (the golden v1 files cover the
 * exact bytes of a real v1 writer).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { systemRandom } from '../../core/ports/random.js';
import { derivePasswordKey, deriveSubkeys, readVaultFile, unwrapVaultKey } from '../../core/vault/format/index.js';
import { formatV1 } from '../../core/vault/format/v1/codec.js';

export async function rewriteAsV1(path: string, password: string): Promise<Buffer> {
  const file = readVaultFile(await readFile(path));
  const passwordKey = await derivePasswordKey(password, file.header.kdf);
  const vaultKey = unwrapVaultKey(passwordKey, file.header);
  if (!vaultKey) throw new Error('rewriteAsV1: wrong password');
  const { body: bodyKey } = deriveSubkeys(vaultKey, file.header.vaultId);
  const body = await file.openBody(bodyKey);
  if (!body) throw new Error('rewriteAsV1: the body does not open');
  const bytes = Buffer.concat((await formatV1.write(file.header, body, bodyKey, systemRandom)).parts);
  await writeFile(path, bytes);
  return bytes;
}
