/** The report domain: the security report's figures (shared/report.ts; docs/security-report.md). */
import type { SecurityReport } from '../report.js';

export interface ReportApi {
  /** The app's Dashboard; `keyward report` renders the same as HTML. */
  'report.security': { request: Record<string, never>; response: SecurityReport };
}
