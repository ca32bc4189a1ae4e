import type { CredentialType } from './type-definition.js';

export const secretType = {
  id: 'secret',
  label: 'Secret',
  secretLabel: 'Secret',
  fields: [],
  expires: false,
  generator: { kind: 'random', bytes: 32, encoding: 'base64url' },
} as const satisfies CredentialType;
