import { z } from 'zod';
import { LIMITS } from '../domain.js';
import type { CredentialsApi } from './credentials.js';
import { credentialTypeId, empty, id, MAX_VALUE_CHARS, password, tags, text, type SchemasOf } from './schema-parts.js';

const fields = z.record(z.string().max(64), z.string().max(4096)).refine((r) => Object.keys(r).length <= 32, 'too many fields');
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

const newCredential = z.object({ ...credentialFields, type: credentialTypeId }).strict();

/** An edit may change anything but the type; every key is optional. */
const patch = z.object(credentialFields).partial().strict();

export const CREDENTIALS_SCHEMAS = {
  'credentials.list': empty,
  'credentials.get': z.object({ id }).strict(),
  'credentials.markCompromised': z.object({ id }).strict(),
  'credentials.add': z.object({ credential: newCredential, value: valueSource, force: z.boolean().optional() }).strict(),
  'credentials.update': z.object({ id, patch, password: password.optional() }).strict(),
  'credentials.rotate': z.object({ id, value: valueSource, force: z.boolean().optional() }).strict(),
  'credentials.setActive': z.object({ id, active: z.boolean(), password: password.optional() }).strict(),
  'credentials.remove': z.object({ id }).strict(),
  'credentials.undoRemove': z.object({ id }).strict(),
  'credentials.reveal': z.object({ id, version: z.number().int().min(1).optional() }).strict(),
  'credentials.copy': z.object({ id, target: z.union([z.literal('value'), z.object({ field: z.string().min(1).max(64) }).strict()]) }).strict(),
} satisfies SchemasOf<CredentialsApi>;
