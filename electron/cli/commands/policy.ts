/**
 * `keyward policy …`: the security policy and the rotation policy, one
 * policy shown together (docs/policies.md).
 *
 *   policy [show] [--json]        every key, its value and where it comes from, then the scoped rotation rules
 *   policy set KEY VALUE          one key (exit 2 with the allowed values when it is not one; nothing stored)
 *   policy preset NAME            default | nist-800-63b | pci-dss-4
 *   policy --type T | --provider P [--interval-days N] …   the scoped rotation rules, as before
 *
 * Loosening a key asks for the master password (from KEYWARD_PASSWORD or
 * --password-file, else the terminal), as the Policies screen does.
 */
import type { RotationOverride, RotationPolicySettings } from '../../../shared/rotation.js';
import { RULE_KINDS, type CustomRule } from '../../../shared/policy-rules.js';
import { allowedValues, POLICY_KEYS, POLICY_PRESETS, policyKeyDef, type PolicyEntry, type PolicyView } from '../../../shared/security-policy.js';
import { fail, KeywardError } from '../../core/errors.js';
import type { PolicyScope } from '../../core/rotation/rotation-service.js';
import type { UnlockedVault } from '../../core/service/vault-lifecycle.js';
import { emit, type Flags } from '../output.js';
import { explicitPassword } from '../password-sources.js';
import { promptHidden, safeText } from '../terminal.js';
import type { UnlockedInvocation } from './spec.js';

/** The value as `policy show` prints it. */
function shown(entry: PolicyEntry): string {
  const def = policyKeyDef(entry.key)!;
  if (def.kind.type === 'int') return def.kind.special && entry.value === def.kind.special.value ? `${entry.value} (${def.kind.special.means})` : `${entry.value} ${def.kind.unit}`;
  return String(entry.value);
}

function sourceText(entry: PolicyEntry): string {
  const s = entry.source;
  if (s.from === 'default') return 'default';
  const when = 'at' in s && s.at ? ` ${s.at.slice(0, 10)}` : '';
  return s.from === 'preset' ? `preset ${s.preset}${when}` : `set${when}`;
}

function ruleText(r: CustomRule): string {
  const settings = Object.entries(r.settings).map(([k, v]) => (v === true ? k : `${k}=${v}`));
  return `    ${r.name.padEnd(24)} ${r.scopes.map(safeText).join(', ')}: ${settings.join(', ')}`;
}

/** `policy rule add NAME --scope SEL... --set KIND=VALUE...` and `policy rule remove NAME`. */
async function rule({ vault, flags, o }: UnlockedInvocation, verb: string | undefined, name: string | undefined): Promise<void> {
  if ((verb !== 'add' && verb !== 'remove') || name === undefined) throw fail.badRequest('policy rule takes add NAME --scope SEL... --set KIND=VALUE..., or remove NAME.');
  if (verb === 'remove') {
    if (flags.scope !== undefined || flags.set !== undefined) throw fail.badRequest('policy rule remove takes only a NAME.');
    await withPasswordIfLoosening(flags, (password) => vault.removePolicyRule(name, password));
    emit(o, { removed: name }, () => `Removed the rule ${safeText(name)}.`);
    return;
  }
  const settings: Record<string, string> = {};
  for (const pair of (flags.set as string[] | undefined) ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw fail.badRequest(`--set takes KIND=VALUE ("${safeText(pair)}" is not). The kinds: ${RULE_KINDS.map((k) => k.id).join(', ')}.`);
    settings[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const view = await vault.addPolicyRule({ name, scopes: (flags.scope as string[] | undefined) ?? [], settings });
  const made = view.rules.find((r) => r.name === name)!;
  emit(o, made, () => `Added the rule:\n${ruleText(made)}`);
}

function policyText(view: PolicyView, rotation: RotationPolicySettings): string {
  const lines = ['Security policy (docs/policies.md):'];
  let group = '';
  for (const entry of view.entries) {
    const def = policyKeyDef(entry.key)!;
    if (def.group !== group) lines.push(`  ${(group = def.group)}`);
    lines.push(`    ${entry.key.padEnd(24)} ${shown(entry).padEnd(22)} ${sourceText(entry)}`);
  }
  const scoped = [...Object.entries(rotation.byType).map(([t, r]) => [`type ${t}`, r] as const), ...Object.entries(rotation.byProvider).map(([p, r]) => [`provider ${safeText(p)}`, r] as const)];
  const fmt = (r: RotationOverride) => `every ${r.intervalDays ?? '·'} d, max age ${r.maxAgeDays ?? '·'} d, remind ${r.reminderLeadDays ?? '·'} d before`;
  lines.push('  Custom rules (policy rule add NAME --scope SEL --set KIND=VALUE)');
  if (view.rules.length) for (const r of view.rules) lines.push(ruleText(r));
  else lines.push('    none');
  lines.push(`  Rotation by type and provider (· = the defaults above; remind ${rotation.defaults.reminderLeadDays} d before by default)`);
  if (scoped.length) for (const [label, r] of scoped) lines.push(`    ${label.padEnd(24)} ${fmt(r)}`);
  else lines.push('    none');
  return lines.join('\n');
}

/** Runs `change` without the password, and again with it when the core says the change loosens the policy. */
async function withPasswordIfLoosening<T>(flags: Flags, change: (password?: string) => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (err) {
    if (!(err instanceof KeywardError && err.extra.field === 'password')) throw err;
    return change(explicitPassword(flags) ?? (await promptHidden('Master password (to loosen the security policy): ')));
  }
}

async function show(vault: UnlockedVault, o: UnlockedInvocation['o']): Promise<void> {
  const view = await vault.securityPolicy();
  const rotation = vault.state.rotation;
  emit(o, { ...view, rotation }, () => policyText(view, rotation));
}

export async function policy(call: UnlockedInvocation, rotationOverride: (flags: Flags) => RotationOverride): Promise<void> {
  const { vault, args, flags, o } = call;
  const [action, key, value] = args;
  const scoped = flags.type !== undefined || flags.provider !== undefined;
  const override = rotationOverride(flags);
  if (action === undefined || action === 'show') {
    if (key !== undefined) throw fail.badRequest('policy show takes no key; it shows every one.');
    if (scoped || Object.keys(override).length) {
      // The scoped rotation rules, as this command always set them.
      const scope: PolicyScope = flags.type ? { type: flags.type as string } : flags.provider ? { provider: flags.provider as string } : { defaults: true };
      if (Object.keys(override).length) await vault.rotation().setPolicy(scope, override);
    }
    return show(vault, o);
  }
  if (scoped || Object.keys(override).length) throw fail.badRequest(`policy ${safeText(action)} does not take the rotation options (--type, --provider, --interval-days, …): use them without a subcommand.`);
  if (action !== 'rule' && (flags.scope !== undefined || flags.set !== undefined)) throw fail.badRequest('--scope and --set are for policy rule add.');
  if (action === 'rule') return rule(call, key, value);
  if (action === 'set') {
    if (key === undefined || value === undefined) throw fail.badRequest(`policy set takes KEY VALUE. The keys: ${POLICY_KEYS.map((d) => d.key).join(', ')}.`);
    const def = policyKeyDef(key);
    const view = await withPasswordIfLoosening(flags, (password) => vault.setPolicy(key, value, password));
    const entry = view.entries.find((e) => e.key === def?.key)!;
    emit(o, view, () => `${entry.key} is now ${shown(entry)}.`);
    return;
  }
  if (action === 'preset') {
    if (key === undefined || value !== undefined) throw fail.badRequest(`policy preset takes one NAME: ${POLICY_PRESETS.map((p) => p.name).join(', ')}.`);
    const view = await withPasswordIfLoosening(flags, (password) => vault.applyPolicyPreset(key, password));
    const preset = POLICY_PRESETS.find((p) => p.name === key)!;
    emit(o, view, () => `Applied the ${preset.label} preset: ${preset.summary}\n\n${policyText(view, vault.state.rotation)}`);
    return;
  }
  throw fail.badRequest(`policy takes show, set KEY VALUE or preset NAME (got "${safeText(action)}").`);
}

/** The allowed values of each key, for `keyward help policy`. */
export const POLICY_NOTES: string[] = [
  'Keys (policy set KEY VALUE):',
  ...POLICY_KEYS.map((d) => `  ${d.key.padEnd(24)} ${allowedValues(d)} (default ${String(d.default)})`),
  `Presets (policy preset NAME): ${POLICY_PRESETS.map((p) => p.name).join(', ')}. Loosening any key asks for the master password.`,
  'Custom rule kinds (policy rule add NAME --scope SEL --set KIND=VALUE):',
  ...RULE_KINDS.map((k) => `  ${k.id.padEnd(24)} ${k.param.type === 'days' ? `N (${k.param.min}–${k.param.max} days)` : 'true'}: ${k.description}`),
];
