/**
 * Runtime schemas for every request in contract.ts. Main validates each
 * request with the schema of the same method before anything else runs, so a
 * malformed (or malicious) request cannot reach the core. Limits here are
 * generous bounds on size; the core applies the precise rules.
 */
import { z } from 'zod';
import { CREDENTIAL_TYPE_IDS, type CredentialTypeId } from '../credential-types/index.js';
import { LIMITS } from '../domain.js';
import { LINK_IDS } from '../links.js';
import type { KeywardApi, Method } from './contract.js';

const empty = z.object({}).strict();
const id = z.string().min(1).max(64);
const text = (max: number) => z.string().max(max);
const password = z.string().min(1).max(4096);
const MAX_VALUE_CHARS = 1024 * 1024;

const fields = z.record(z.string().max(64), z.string().max(4096)).refine((r) => Object.keys(r).length <= 32, 'too many fields');
const tags = z.array(text(LIMITS.tagLength)).max(LIMITS.tagCount);
const expiresAt = z.string().max(40).nullable();
const valueSource = z.union([z.object({ value: z.string().min(1).max(MAX_VALUE_CHARS) }).strict(), z.object({ generate: z.literal(true) }).strict()]);

const credentialFields = {
  name: text(LIMITS.nameLength),
  provider: text(LIMITS.providerLength).optional(),
  description: text(LIMITS.descriptionLength).optional(),
  tags: tags.optional(),
  fields: fields.optional(),
  expiresAt: expiresAt.optional(),
};

const newCredential = z.object({ ...credentialFields, type: z.enum(CREDENTIAL_TYPE_IDS as unknown as [CredentialTypeId, ...CredentialTypeId[]]) }).strict();

/** An edit may change anything but the type; every key is optional. */
const patch = z.object(credentialFields).partial().strict();

const backupFile = z.string().min(1).max(200).regex(/^[\w.-]+$/, 'a backup file name');

export const REQUEST_SCHEMAS = {
  'app.state': empty,
  'vault.create': z.object({ password, useKeychain: z.boolean(), kdfIterations: z.number().int().min(100_000).max(50_000_000).optional(), allowWeakPassword: z.boolean().optional() }).strict(),
  'vault.unlock': z.discriminatedUnion('method', [
    z.object({ method: z.literal('password'), password }).strict(),
    z.object({ method: z.literal('keychain') }).strict(),
  ]),
  'vault.lock': empty,
  'vault.chooseFile': z.object({ mode: z.enum(['open', 'create']) }).strict(),
  'vault.changePassword': z.object({ currentPassword: password, newPassword: password }).strict(),
  'vault.setKeychain': z.object({ enabled: z.boolean(), password: password.optional() }).strict(),
  'vault.listBackups': empty,
  'vault.previewBackup': z.object({ file: backupFile, password: password.optional() }).strict(),
  'vault.restoreBackup': z.object({ file: backupFile.optional() }).strict(),
  'vault.inspectBackups': z.object({ password }).strict(),
  'settings.update': z
    .object({
      // 0: never lock on idle (needs the master password, like any weakening change).
      autoLockMinutes: z.number().int().min(0).max(24 * 60).optional(),
      clipboardClearSeconds: z.number().int().min(5).max(600).optional(),
      password: password.optional(),
    })
    .strict(),
  'credentials.list': empty,
  'credentials.get': z.object({ id }).strict(),
  'credentials.add': z.object({ credential: newCredential, value: valueSource, force: z.boolean().optional() }).strict(),
  'credentials.update': z.object({ id, patch }).strict(),
  'credentials.rotate': z.object({ id, value: valueSource, force: z.boolean().optional() }).strict(),
  'credentials.setActive': z.object({ id, active: z.boolean() }).strict(),
  'credentials.remove': z.object({ id }).strict(),
  'credentials.undoRemove': z.object({ id }).strict(),
  'credentials.reveal': z.object({ id, version: z.number().int().min(1).optional() }).strict(),
  'credentials.copy': z.object({ id, target: z.union([z.literal('value'), z.object({ field: z.string().min(1).max(64) }).strict()]) }).strict(),
  'app.activity': empty,
  'app.openLink': z.object({ id: z.enum(LINK_IDS) }).strict(),
  'vault.keepSessionState': empty,
  'vault.reopen': empty,
  'rotation.schedule': empty,
  'rotation.setPolicy': z
    .object({
      scope: z.union([
        z.object({ credentialId: id }).strict(),
        z.object({ type: z.enum(CREDENTIAL_TYPE_IDS as unknown as [CredentialTypeId, ...CredentialTypeId[]]) }).strict(),
        z.object({ provider: z.string().min(1).max(LIMITS.providerLength) }).strict(),
        z.object({ defaults: z.literal(true) }).strict(),
      ]),
      override: z
        .object({ intervalDays: z.number().int().min(1).max(3650).optional(), maxAgeDays: z.number().int().min(1).max(3650).optional(), reminderLeadDays: z.number().int().min(0).max(365).optional() })
        .strict(),
    })
    .strict(),
  'rotation.snooze': z.object({ id, days: z.number().int().min(1).max(365) }).strict(),
  'rotation.markRotated': z.object({ id }).strict(),
  'rotation.undoMarkRotated': z.object({ id }).strict(),
  'rotation.rollback': z.object({ id }).strict(),
  'rotation.setRotator': z
    .object({
      id,
      create: z.string().min(1).max(4096),
      test: z.string().max(4096).optional(),
      revoke: z.string().max(4096).optional(),
      timeoutSeconds: z.number().int().min(1).max(3600).optional(),
      password,
    })
    .strict(),
  'rotation.clearRotator': z.object({ id }).strict(),
  'rotation.dryRun': z.object({ id }).strict(),
  'rotation.runRotator': z.object({ id }).strict(),
  'vault.rotateKey': z.object({ password }).strict(),
  'analysis.health': empty,
  'analysis.check': z.object({ id }).strict(),
  'analysis.checkValue': z
    .object({
      value: z.string().max(MAX_VALUE_CHARS),
      id: id.optional(),
      type: z.enum(CREDENTIAL_TYPE_IDS as unknown as [CredentialTypeId, ...CredentialTypeId[]]).optional(),
      name: text(LIMITS.nameLength).optional(),
      provider: text(LIMITS.providerLength).optional(),
      tags: tags.optional(),
      username: text(4096).optional(),
    })
    .strict(),
  'generator.generate': z
    .object({
      options: z.discriminatedUnion('kind', [
        z
          .object({
            kind: z.literal('password'),
            length: z.number().int(),
            lower: z.boolean(),
            upper: z.boolean(),
            digits: z.boolean(),
            symbols: z.boolean(),
            excludeLookAlikes: z.boolean(),
          })
          .strict(),
        z.object({ kind: z.literal('passphrase'), words: z.number().int(), separator: z.string().max(3), capitalize: z.boolean(), includeNumber: z.boolean() }).strict(),
        z.object({ kind: z.literal('api'), bytes: z.number().int(), encoding: z.enum(['hex', 'base64url', 'base62']), prefix: z.string().max(32) }).strict(),
      ]),
      force: z.boolean().optional(),
    })
    .strict(),
} satisfies { [M in Method]: z.ZodType<KeywardApi[M]['request']> };

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(REQUEST_SCHEMAS, name);
}
