import type { CredentialType } from './type-definition.js';

export const passwordType = {
  id: 'password',
  label: 'Password',
  secretLabel: 'Password',
  fields: [
    { key: 'username', label: 'Username', kind: 'text', placeholder: 'name@example.com', maxLength: 1024 },
    { key: 'url', label: 'URL', kind: 'url', placeholder: 'https://example.com/login', maxLength: 2048 },
  ],
  expires: false,
  generator: { kind: 'password', length: 20 },
} as const satisfies CredentialType;
