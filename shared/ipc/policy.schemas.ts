import { z } from 'zod';
import type { PolicyApi } from './policy.js';
import { empty, password, type SchemasOf } from './schema-parts.js';

export const POLICY_SCHEMAS = {
  'policy.get': empty,
  // The key and value are checked against the policy's own table in the core, which says what is allowed.
  'policy.set': z.object({ key: z.string().min(1).max(64), value: z.union([z.string().max(64), z.number(), z.boolean()]), password: password.optional() }).strict(),
  'policy.preset': z.object({ name: z.string().min(1).max(64), password: password.optional() }).strict(),
  // The rule is checked in full by checkCustomRule in the core.
  'policy.addRule': z
    .object({ name: z.string().min(1).max(64), scopes: z.array(z.string().min(1).max(210)).max(20), settings: z.record(z.string().max(40), z.union([z.number(), z.boolean(), z.string().max(10)])) })
    .strict(),
  'policy.removeRule': z.object({ name: z.string().min(1).max(64), password: password.optional() }).strict(),
} satisfies SchemasOf<PolicyApi>;
