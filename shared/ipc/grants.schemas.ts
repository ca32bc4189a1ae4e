import { z } from 'zod';
import type { GrantsApi } from './grants.js';
import { empty, type SchemasOf } from './schema-parts.js';

// Names, roles, scopes and dates are checked precisely in the core (grant-service.ts), which says what is allowed.
const name = z.string().min(1).max(64);

export const GRANTS_SCHEMAS = {
  'grants.list': empty,
  'grants.add': z
    .object({
      name,
      role: z.string().min(1).max(16),
      scopes: z.array(z.string().min(1).max(210)).max(50),
      allowCommands: z.array(z.string().min(1).max(4096)).max(50),
      expiresAt: z.string().max(40).nullable().optional(),
      ask: z.boolean().optional(),
    })
    .strict(),
  'grants.revoke': z.object({ name }).strict(),
  'grants.setSuspended': z.object({ name, suspended: z.boolean() }).strict(),
  'grants.answerApproval': z.object({ id: z.string().min(1).max(64), allow: z.boolean() }).strict(),
} satisfies SchemasOf<GrantsApi>;
