import { z } from 'zod';
import { LIMITS } from '../domain.js';
import type { RotationApi } from './rotation.js';
import { TIMELINE_GROUPS, TIMELINE_KEEP_MAX, TIMELINE_LIMIT_MAX, type TimelineGroup } from '../rotation.js';
import { credentialTypeId, empty, id, isoTime, password, type SchemasOf } from './schema-parts.js';

export const ROTATION_SCHEMAS = {
  'rotation.schedule': empty,
  'rotation.timeline': z
    .object({
      limits: z.object(Object.fromEntries(TIMELINE_GROUPS.map((g) => [g, z.number().int().min(0).max(TIMELINE_LIMIT_MAX).optional()])) as Record<TimelineGroup, z.ZodOptional<z.ZodNumber>>).strict().optional(),
      keep: z
        .array(z.object({ id, group: z.enum(TIMELINE_GROUPS), dueAt: isoTime }).strict())
        .max(TIMELINE_KEEP_MAX)
        .optional(),
    })
    .strict(),
  'rotation.status': empty,
  'rotation.due': z.object({ id }).strict(),
  'rotation.setPolicy': z
    .object({
      scope: z.union([
        z.object({ credentialId: id }).strict(),
        z.object({ type: credentialTypeId }).strict(),
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
} satisfies SchemasOf<RotationApi>;
