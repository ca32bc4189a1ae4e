/**
 * The health domain: findings, risk and the score, for the vault, one
 * credential, or a value not saved yet. Its methods keep the `analysis.`
 * prefix they were published with: browser tests outside this repository
 * drive the harness by these names.
 */
import type { CredentialReport, ValueCheck, ValueCheckRequest, VaultHealth } from '../health/findings.js';

export interface HealthApi {
  /** Findings, risk and the health score for the whole vault (runs in a worker thread). */
  'analysis.health': { request: Record<string, never>; response: VaultHealth };
  'analysis.check': { request: { id: string }; response: CredentialReport };
  /**
   * What the health check would say about a value not saved yet (the add and rotate
   * forms, as the person types): format, placeholder, pasted characters,
   * policy and strength, analysed in main like every stored value. With `id`
   * (rotating), the credential's own type, provider, name and tags are used.
   */
  'analysis.checkValue': { request: ValueCheckRequest; response: ValueCheck };
}
