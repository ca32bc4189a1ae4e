import { describe, expect, it } from 'vitest';
import { globMatches, inScope, parseScope } from './grants.js';

describe('scope selectors', () => {
  it('matches globs of * and ? over whole names, folded (NFC, lower case), and nothing looser', () => {
    const cases: [string, string, boolean][] = [
      ['stripe-*', 'Stripe-Prod', true],
      ['*-prod', 'db-prod', true],
      ['db?prod', 'db.prod', true],
      ['db?prod', 'dbprod', false],
      ['a*b*c', 'aXbYc', true],
      ['a*b*c', 'aXbY', false],
      ['*', '', true],
      ['?', '🔑', true],
      ['é*', 'E\u0301clair', true],
      ['prod', 'ｐｒｏｄ', false],
      ['fix', 'ﬁx', false],
      ['s', 'ſ', false],
    ];
    for (const [glob, name, expected] of cases) expect(globMatches(glob, name), `${glob} ~ ${name}`).toBe(expected);
  });

  it('answers a hostile glob (an exponential matcher would not return within the test’s timeout)', () => {
    expect(globMatches('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    expect(globMatches('*a*a*a*a*a*a*a*a*a*a*b', `${'a'.repeat(5000)}b`)).toBe(true);
  });

  it('covers by tag, provider (folded), type (exactly) and name; no selectors cover everything', () => {
    const c = { name: 'Stripe Prod', type: 'api_key', provider: 'Stripe', tags: ['Production'] };
    const sel = (t: string) => {
      const s = parseScope(t);
      if ('error' in s) throw new Error(s.error);
      return s;
    };
    expect(inScope([], c)).toBe(true);
    expect(inScope([sel('tag:production')], c)).toBe(true);
    expect(inScope([sel('provider:STRIPE')], c)).toBe(true);
    expect(inScope([sel('type:API_KEY')], c)).toBe(false);
    expect(inScope([sel('type:api_key')], c)).toBe(true);
    expect(inScope([sel('name:stripe*'), sel('tag:none')], c)).toBe(true);
    expect(parseScope('colour:red')).toMatchObject({ error: expect.stringMatching(/tag:X, provider:X, type:T or name:GLOB/) });
  });
});
