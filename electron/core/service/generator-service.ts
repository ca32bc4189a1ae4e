/**
 * The generator as a service: values no vault needs to be open for. A
 * password generated without `force` meets the active policy's password rules
 * (the same rules the gate checks stored values against); each generation is
 * recorded (never the value).
 */
import type { GeneratedValue, GeneratorOptions } from '../../../shared/generator-options.js';
import type { AuditDoor } from '../audit/audit-door.js';
import { checkAgainstPolicy, generate } from '../generator/generate.js';
import type { PolicyGate } from '../policy/policy-gate.js';

export class GeneratorService {
  readonly #policy: PolicyGate;
  readonly #door: AuditDoor;

  constructor(policy: PolicyGate, door: AuditDoor) {
    this.#policy = policy;
    this.#door = door;
  }

  generate(options: GeneratorOptions, o: { force?: boolean } = {}): Promise<GeneratedValue> {
    return this.#door.run('generate', undefined, () => {
      if (!o.force) checkAgainstPolicy(options, this.#policy.passwordRules);
      return generate(options);
    });
  }
}
