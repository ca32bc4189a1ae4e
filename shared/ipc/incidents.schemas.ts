import { z } from 'zod';
import type { IncidentsApi } from './incidents.js';
import type { SchemasOf } from './schema-parts.js';

export const INCIDENTS_SCHEMAS = {
  'incidents.list': z.object({ all: z.boolean().optional() }).strict(),
  'incidents.update': z
    .object({
      id: z.string().regex(/^inc-[0-9a-f]{12}$/, 'an incident id (inc- and 12 hex digits)'),
      status: z.enum(['acknowledged', 'resolved']),
      note: z.string().max(2000).optional(),
    })
    .strict(),
} satisfies SchemasOf<IncidentsApi>;
