import { z } from 'zod';
import { LIMITS } from '../domain.js';
import type { HealthApi } from './health.js';
import { credentialTypeId, empty, id, MAX_VALUE_CHARS, tags, text, type SchemasOf } from './schema-parts.js';

export const HEALTH_SCHEMAS = {
  'analysis.health': empty,
  'analysis.check': z.object({ id }).strict(),
  'analysis.checkValue': z
    .object({
      value: z.string().max(MAX_VALUE_CHARS),
      id: id.optional(),
      type: credentialTypeId.optional(),
      name: text(LIMITS.nameLength).optional(),
      provider: text(LIMITS.providerLength).optional(),
      tags: tags.optional(),
      username: text(4096).optional(),
    })
    .strict(),
} satisfies SchemasOf<HealthApi>;
