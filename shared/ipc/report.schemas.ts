import type { ReportApi } from './report.js';
import { empty, type SchemasOf } from './schema-parts.js';

export const REPORT_SCHEMAS = {
  'report.security': empty,
} satisfies SchemasOf<ReportApi>;
