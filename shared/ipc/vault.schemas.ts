import { z } from 'zod';
import { empty, password, type SchemasOf } from './schema-parts.js';
import type { VaultApi } from './vault.js';

/** A backup is named by its file name in the vault's backup folder: never a path. */
const backupFile = z.string().min(1).max(200).regex(/^[\w.-]+$/, 'a backup file name');

export const VAULT_SCHEMAS = {
  'vault.create': z.object({ password, useKeychain: z.boolean(), kdfIterations: z.number().int().min(100_000).max(50_000_000).optional(), allowWeakPassword: z.boolean().optional() }).strict(),
  'vault.unlock': z.discriminatedUnion('method', [
    z.object({ method: z.literal('password'), password, acceptOlder: z.boolean().optional() }).strict(),
    z.object({ method: z.literal('keychain'), acceptOlder: z.boolean().optional() }).strict(),
  ]),
  'vault.lock': empty,
  'vault.chooseFile': z.object({ mode: z.enum(['open', 'create']) }).strict(),
  'vault.changePassword': z.object({ currentPassword: password, newPassword: password, allowWeakPassword: z.boolean().optional() }).strict(),
  'vault.setKeychain': z.object({ enabled: z.boolean(), password: password.optional() }).strict(),
  'vault.listBackups': empty,
  'vault.previewBackup': z.object({ file: backupFile, password: password.optional() }).strict(),
  'vault.restoreBackup': z.object({ file: backupFile.optional(), password: password.optional() }).strict(),
  'vault.inspectBackups': z.object({ password }).strict(),
  'vault.rotateKey': z.object({ password }).strict(),
  'vault.keepSessionState': empty,
  'vault.reopen': empty,
} satisfies SchemasOf<VaultApi>;
