import type { CredentialType } from './type-definition.js';

export const apiKeyType = {
  id: 'api_key',
  label: 'API key',
  secretLabel: 'Secret key',
  fields: [
    { key: 'keyId', label: 'Key ID', kind: 'text', placeholder: 'Public identifier, if the provider has one', maxLength: 512 },
    { key: 'scopes', label: 'Scopes', kind: 'list', placeholder: 'read, write', maxLength: 2048 },
  ],
  expires: true,
  generator: { kind: 'random', bytes: 32, encoding: 'base62' },
} as const satisfies CredentialType;
