/**
 * `keyward grant …`: access grants for programs (docs/grants.md).
 *
 *   grant add NAME --role R [--scope SEL]... [--allow-command PREFIX]... [--expires DATE] [--ask]
 *   grant list | show NAME | revoke NAME | suspend NAME | resume NAME
 *
 * Only the vault's owner manages grants (the master password or the keychain
 * opens the vault for these; a grant token never does).
 */
import { GRANT_ROLES, type GrantView } from '../../../shared/grants.js';
import { fail } from '../../core/errors.js';
import { emit } from '../output.js';
import { safeText } from '../terminal.js';
import type { CommandFamily, UnlockedInvocation } from './spec.js';

const ACTIONS = ['add', 'list', 'show', 'revoke', 'suspend', 'resume'] as const;

function expiryText(g: GrantView): string {
  return g.expiresAt ? g.expiresAt.slice(0, 16).replace('T', ' ') + ' UTC' : 'never';
}

function grantLines(g: GrantView): string[] {
  return [
    `Grant ${g.name}${g.suspended ? ' (suspended)' : ''}`,
    `  role        ${g.role}: ${GRANT_ROLES.find((r) => r.role === g.role)!.description}`,
    `  scope       ${g.scopes.length ? g.scopes.map(safeText).join(', ') : 'every credential'} (${g.covers} now)`,
    ...(g.allowCommands.length ? [`  commands    ${g.allowCommands.map((c) => `"${safeText(c.join(' '))}"`).join(', ')}`] : []),
    `  expires     ${expiryText(g)}`,
    `  approval    ${g.ask ? 'asked for at every use, in the running app' : 'not asked for'}`,
    `  created     ${g.createdAt.slice(0, 16).replace('T', ' ')} UTC`,
    ...(g.uses !== undefined ? [`  uses        ${g.uses}${g.lastUsedAt ? `, last ${g.lastUsedAt.slice(0, 16).replace('T', ' ')} UTC` : ''}`] : []),
  ];
}

async function grant({ vault, args, flags, o }: UnlockedInvocation): Promise<void> {
  const [action, name, extra] = args;
  if (!(ACTIONS as readonly string[]).includes(action ?? '')) throw fail.badRequest(`grant takes ${ACTIONS.join(', ')} (got "${safeText(action ?? '')}").`);
  if (extra !== undefined) throw fail.badRequest(`grant ${action} takes one NAME.`);
  const addOnly = ['role', 'scope', 'allow-command', 'expires', 'ask'].filter((k) => flags[k] !== undefined);
  if (action !== 'add' && addOnly.length) throw fail.badRequest(`--${addOnly[0]} is for grant add.`);
  if (action === 'list') {
    if (name !== undefined) throw fail.badRequest('grant list takes no NAME.');
    const grants = await vault.grants.list();
    emit(o, grants, () =>
      grants.length === 0
        ? 'No grants. "keyward grant add NAME --role viewer|runner|reader|rotator|admin" makes one.'
        : grants.map((g) => `${g.name.padEnd(20)} ${g.role.padEnd(8)} ${String(g.covers).padStart(6)} credential${g.covers === 1 ? ' ' : 's'}  expires ${expiryText(g)}${g.suspended ? '  (suspended)' : ''}`).join('\n'),
    );
    return;
  }
  if (name === undefined) throw fail.badRequest(`grant ${action} takes a NAME.`);
  if (action === 'add') {
    if (typeof flags.role !== 'string') throw fail.badRequest(`grant add takes --role: ${GRANT_ROLES.map((r) => r.role).join(', ')}.`);
    const made = await vault.grants.add({
      name,
      role: flags.role,
      scopes: (flags.scope as string[] | undefined) ?? [],
      allowCommands: (flags['allow-command'] as string[] | undefined) ?? [],
      expiresAt: typeof flags.expires === 'string' ? flags.expires : null,
      ask: flags.ask === true,
    });
    emit(o, made, () =>
      [
        ...grantLines(made.grant),
        '',
        'Its token, shown this once (Keyward keeps only a keyed hash of it):',
        '',
        `  ${made.token}`,
        '',
        'Give it to the program as KEYWARD_TOKEN. Anyone holding it reads what the grant covers; "keyward grant revoke ' + made.grant.name + '" ends that.',
      ].join('\n'),
    );
    return;
  }
  if (action === 'show') {
    const g = await vault.grants.show(name);
    emit(o, g, () => grantLines(g).join('\n'));
    return;
  }
  if (action === 'revoke') {
    await vault.grants.revoke(name);
    emit(o, { revoked: name }, () => `Revoked the grant ${safeText(name)}: its key material is deleted and its token opens nothing.`);
    return;
  }
  const g = await vault.grants.setSuspended(name, action === 'suspend');
  emit(o, g, () => (g.suspended ? `Suspended the grant ${g.name}: its token opens nothing until "keyward grant resume ${g.name}".` : `Resumed the grant ${g.name}: its token opens what it covers again.`));
}

export const grantCommands: CommandFamily = {
  title: 'Grants for programs',
  commands: [
    {
      name: 'grant',
      args: ['ACTION', '[NAME]'],
      options: {
        role: { type: 'string', value: 'ROLE' },
        scope: { type: 'string', multiple: true, value: 'SEL' },
        'allow-command': { type: 'string', multiple: true, value: 'PREFIX' },
        expires: { type: 'string', value: 'DATE' },
        ask: { type: 'boolean' },
      },
      synopsis: 'grant add NAME --role ROLE [--scope SEL]... [--allow-command PREFIX]... [--expires DATE] [--ask] | list | show NAME | revoke NAME | suspend NAME | resume NAME',
      summary: 'give a program scoped, audited, revocable access by a token (shown once); list, show, revoke, suspend or resume grants',
      notes: [
        'Roles: ' + GRANT_ROLES.map((r) => `${r.role} (${r.description})`).join('; ') + '.',
        'Scope: tag:X, provider:X, type:T or name:GLOB, any of which puts a credential in scope; no --scope covers every credential.',
        '--allow-command "npm test" lets a runner run only commands starting with those words. --expires takes YYYY-MM-DD (the end of that day, UTC) or an ISO time.',
      ],
      needs: 'vault',
      run: grant,
    },
  ],
};
