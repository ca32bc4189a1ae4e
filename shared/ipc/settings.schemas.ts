import { z } from 'zod';
import { DETECTION_LIMITS, LOCKABLE_KINDS } from '../incidents.js';
import { password, type SchemasOf } from './schema-parts.js';
import type { SettingsApi } from './settings.js';

export const SETTINGS_SCHEMAS = {
  'settings.update': z
    .object({
      // 0: never lock on idle (needs the master password, like any weakening change).
      autoLockMinutes: z.number().int().min(0).max(24 * 60).optional(),
      clipboardClearSeconds: z.number().int().min(5).max(600).optional(),
      auditRetentionDays: z.union([z.literal(0), z.number().int().min(30).max(3650)]).optional(),
      auditFailClosed: z.boolean().optional(),
      detection: z
        .object({
          ...Object.fromEntries(Object.entries(DETECTION_LIMITS).map(([key, [min, max]]) => [key, z.number().int().min(min).max(max).optional()])),
          ...Object.fromEntries(LOCKABLE_KINDS.map((kind) => [`lock.${kind}`, z.boolean().optional()])),
        })
        .strict()
        .optional(),
      auditForward: z
        .object({ syslog: z.string().min(3).max(300), protocol: z.enum(['tcp', 'udp']), withNames: z.boolean() })
        .strict()
        .nullable()
        .optional(),
      password: password.optional(),
    })
    .strict(),
} satisfies SchemasOf<SettingsApi>;
