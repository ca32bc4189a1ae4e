/** Test builders for the renderer's unit tests: plausible defaults, overridden per test. */
import type { CredentialDetail, CredentialSummary } from '../../../shared/domain';

let seq = 0;

export function summary(overrides: Partial<CredentialSummary> = {}): CredentialSummary {
  seq++;
  return {
    id: `id-${seq}`,
    name: `credential-${seq}`,
    type: 'api_key',
    provider: '',
    description: '',
    tags: [],
    active: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    lastRotatedAt: null,
    expiresAt: null,
    currentVersion: 1,
    ...overrides,
  };
}

export function detail(overrides: Partial<CredentialDetail> = {}): CredentialDetail {
  const { fields = {}, versions = [{ version: 1, createdAt: '2026-01-01T00:00:00.000Z', stage: 'current', origin: 'initial' }], rotation, ...rest } = overrides;
  return { ...summary(rest), fields, versions, rotation: rotation ?? { override: {}, snoozedUntil: null, rotator: null, runs: [] } };
}
