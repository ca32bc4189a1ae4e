import type { CredentialType } from './type-definition.js';

export const tokenType = {
  id: 'token',
  label: 'Token',
  secretLabel: 'Token',
  fields: [
    { key: 'tokenType', label: 'Token type', kind: 'choice', choices: ['bearer', 'oauth_access', 'oauth_refresh', 'personal_access', 'other'] },
    { key: 'scopes', label: 'Scopes', kind: 'list', placeholder: 'repo, read:org', maxLength: 2048 },
  ],
  expires: true,
  generator: null,
} as const satisfies CredentialType;
