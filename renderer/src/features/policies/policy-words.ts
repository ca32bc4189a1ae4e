/** Where a policy key's value comes from, in words (the Policies screen). */
import { POLICY_PRESETS, type PolicySource } from '../../../../shared/security-policy';

export function sourceWords(source: PolicySource, when: (iso: string) => string): string {
  if (source.from === 'default') return 'Default';
  const at = source.at ? `, ${when(source.at)}` : '';
  if (source.from === 'preset') return `Preset: ${POLICY_PRESETS.find((p) => p.name === source.preset)?.label ?? source.preset}${at}`;
  return `Set by you${at}`;
}
