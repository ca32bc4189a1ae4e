import { z } from 'zod';
import type { GeneratorApi } from './generator.js';
import type { SchemasOf } from './schema-parts.js';

export const GENERATOR_SCHEMAS = {
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
} satisfies SchemasOf<GeneratorApi>;
