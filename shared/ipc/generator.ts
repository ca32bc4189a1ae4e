/** The generator domain: new values on demand (the generator screen, and the add and rotate forms). */
import type { GeneratedValue, GeneratorOptions } from '../generator-options.js';

export interface GeneratorApi {
  /** A new value; passwords satisfy the active policy unless `force`. */
  'generator.generate': { request: { options: GeneratorOptions; force?: boolean }; response: GeneratedValue };
}
