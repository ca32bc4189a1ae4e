/**
 * The runtime schema of every request in the contract, assembled from each
 * domain's `<domain>.schemas.ts`. Main validates each request with the schema
 * of the same method before anything else runs, so a malformed (or malicious)
 * request cannot reach the core.
 */
import { APP_SCHEMAS } from './app.schemas.js';
import { AUDIT_SCHEMAS } from './audit.schemas.js';
import type { KeywardApi, Method } from './contract.js';
import { CREDENTIALS_SCHEMAS } from './credentials.schemas.js';
import { GENERATOR_SCHEMAS } from './generator.schemas.js';
import { HEALTH_SCHEMAS } from './health.schemas.js';
import { INCIDENTS_SCHEMAS } from './incidents.schemas.js';
import { REPORT_SCHEMAS } from './report.schemas.js';
import { POLICY_SCHEMAS } from './policy.schemas.js';
import { GRANTS_SCHEMAS } from './grants.schemas.js';
import { ROTATION_SCHEMAS } from './rotation.schemas.js';
import type { SchemasOf } from './schema-parts.js';
import { SETTINGS_SCHEMAS } from './settings.schemas.js';
import { VAULT_SCHEMAS } from './vault.schemas.js';

/** Each domain's table on its own, so a test can prove no method is claimed by two domains. */
export const DOMAIN_SCHEMAS = {
  app: APP_SCHEMAS,
  vault: VAULT_SCHEMAS,
  settings: SETTINGS_SCHEMAS,
  credentials: CREDENTIALS_SCHEMAS,
  health: HEALTH_SCHEMAS,
  rotation: ROTATION_SCHEMAS,
  generator: GENERATOR_SCHEMAS,
  audit: AUDIT_SCHEMAS,
  incidents: INCIDENTS_SCHEMAS,
  report: REPORT_SCHEMAS,
  policy: POLICY_SCHEMAS,
  grants: GRANTS_SCHEMAS,
} as const;

export const REQUEST_SCHEMAS = {
  ...APP_SCHEMAS,
  ...VAULT_SCHEMAS,
  ...SETTINGS_SCHEMAS,
  ...CREDENTIALS_SCHEMAS,
  ...HEALTH_SCHEMAS,
  ...ROTATION_SCHEMAS,
  ...GENERATOR_SCHEMAS,
  ...AUDIT_SCHEMAS,
  ...INCIDENTS_SCHEMAS,
  ...REPORT_SCHEMAS,
  ...POLICY_SCHEMAS,
  ...GRANTS_SCHEMAS,
} satisfies SchemasOf<KeywardApi>;

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(REQUEST_SCHEMAS, name);
}
