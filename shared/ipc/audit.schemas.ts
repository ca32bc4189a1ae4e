import { z } from 'zod';
import type { AuditApi } from './audit.js';
import { empty, isoTime as iso, type SchemasOf } from './schema-parts.js';

/** At most this many records per call: the screen asks for the newest, and more on request. */
export const MAX_AUDIT_RECORDS = 5000;

export const AUDIT_SCHEMAS = {
  'audit.records': z
    .object({
      action: z.string().max(100).regex(/^[a-zA-Z0-9._-]*$/).optional(),
      outcome: z.enum(['success', 'failure']).optional(),
      actor: z.string().max(100).regex(/^[a-zA-Z0-9._:-]*$/).optional(),
      credential: z.string().max(10_000).optional(),
      since: iso.optional(),
      until: iso.optional(),
      limit: z.number().int().min(1).max(MAX_AUDIT_RECORDS).optional(),
      before: z.number().int().min(0).optional(),
      seqs: z.array(z.number().int().min(0)).max(MAX_AUDIT_RECORDS).optional(),
    })
    .strict(),
  'audit.verify': empty,
  'audit.forwarding': empty,
  'audit.usage': z.object({ credential: z.string().min(1).max(10_000).optional() }).strict(),
} satisfies SchemasOf<AuditApi>;
