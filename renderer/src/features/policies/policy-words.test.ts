import { describe, expect, it } from 'vitest';
import { sourceWords } from './policy-words';

describe('where a policy value comes from, in words', () => {
  const when = (iso: string) => iso.slice(0, 10);
  it('names the default, the preset by its label, and a value set, with when', () => {
    expect(sourceWords({ from: 'default' }, when)).toBe('Default');
    expect(sourceWords({ from: 'preset', preset: 'pci-dss-4', at: '2026-12-07T09:00:00Z' }, when)).toBe('Preset: PCI DSS v4.0, 2026-12-07');
    expect(sourceWords({ from: 'set', at: '2026-12-07T09:00:00Z' }, when)).toBe('Set by you, 2026-12-07');
    // Changed elsewhere (the Settings dialog) before the policy recorded anything: no time to give.
    expect(sourceWords({ from: 'set', at: '' }, when)).toBe('Set by you');
  });
});
