import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Method } from './contract.js';
import { DOMAIN_SCHEMAS, isMethod, REQUEST_SCHEMAS } from './schemas.js';

/** The prefix each domain's methods carry (health keeps the `analysis.` it was published with). */
const PREFIX: Record<keyof typeof DOMAIN_SCHEMAS, string> = {
  app: 'app.',
  vault: 'vault.',
  settings: 'settings.',
  credentials: 'credentials.',
  health: 'analysis.',
  rotation: 'rotation.',
  audit: 'audit.',
  incidents: 'incidents.',
  report: 'report.',
  policy: 'policy.',
  grants: 'grants.',
  generator: 'generator.',
};

describe('the IPC contract', () => {
  it('has a schema for every method and a method for every schema', () => {
    // Checked by the compiler (npx tsc -b): the table's keys are exactly the contract's methods.
    expectTypeOf<keyof typeof REQUEST_SCHEMAS>().toEqualTypeOf<Method>();
    for (const [method, schema] of Object.entries(REQUEST_SCHEMAS)) expect(typeof schema.safeParse, method).toBe('function');
  });

  it('gives each method to exactly one domain, under that domain’s prefix', () => {
    const claimed = Object.entries(DOMAIN_SCHEMAS).flatMap(([domain, table]) => Object.keys(table).map((method) => ({ domain, method })));
    expect(claimed.map((c) => c.method).sort()).toEqual(Object.keys(REQUEST_SCHEMAS).sort());
    for (const { domain, method } of claimed) expect(method.startsWith(PREFIX[domain as keyof typeof PREFIX]), `${method} in ${domain}`).toBe(true);
  });

  it('knows its methods, and nothing inherited from Object', () => {
    expect(isMethod('credentials.list')).toBe(true);
    for (const name of ['nope', 'constructor', '__proto__', 'toString', 42, null]) expect(isMethod(name)).toBe(false);
  });
});
