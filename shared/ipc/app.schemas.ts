import { z } from 'zod';
import { LINK_IDS } from '../links.js';
import type { AppApi } from './app.js';
import { empty, type SchemasOf } from './schema-parts.js';

export const APP_SCHEMAS = {
  'app.state': empty,
  'app.activity': empty,
  'app.openLink': z.object({ id: z.enum(LINK_IDS) }).strict(),
} satisfies SchemasOf<AppApi>;
