import type { GeneratorRecipe } from '../../../../shared/credential-types/index';

/** "a 20-character password", "a random 256-bit value (base62)". */
export function describeGenerator(recipe: GeneratorRecipe): string {
  if (recipe.kind === 'password') return `a ${recipe.length}-character password`;
  return `a random ${recipe.bytes * 8}-bit value (${recipe.encoding})`;
}
