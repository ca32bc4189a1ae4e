// Where an import specifier points, in repository terms: a path relative to the
// repository root for our own files ('electron/core/vault/body'), or the npm or
// Node module it names ('electron', 'node:fs', '@zxcvbn-ts/core').
import { existsSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** The repository path of a file, with forward slashes and without its extension. */
export function repoPath(root, file) {
  const rel = relative(root, file).split(sep).join('/');
  const ext = extname(rel);
  return SOURCE_EXTENSIONS.includes(ext) ? rel.slice(0, -ext.length) : rel;
}

/**
 * What `specifier`, written in `file`, imports: `{ path }` for a relative import
 * (repository path, without extension), `{ module }` for anything else.
 */
export function importTarget(root, file, specifier) {
  if (specifier.startsWith('.')) return { path: repoPath(root, resolve(dirname(file), specifier)) };
  return { module: specifier };
}

/** True if `path` is the folder or file `area` ('electron/core', 'electron/main') or lies inside it. */
export function isWithin(path, area) {
  return path === area || path.startsWith(`${area}/`);
}

/** True if `specifier` names the module `name` or one of its subpaths; the name 'node' stands for every Node built-in. */
export function namesModule(specifier, name) {
  if (name === 'node') return specifier.startsWith('node:') || isBuiltin(specifier);
  return specifier === name || specifier.startsWith(`${name}/`);
}

/**
 * The source file a relative import resolves to, or null (also for a
 * stylesheet or other asset). NodeNext imports name the emitted '.js'; the
 * source beside it is '.ts' or '.tsx'. The renderer (bundled) may leave the
 * extension out.
 */
export function resolveSourceFile(file, specifier) {
  const target = resolve(dirname(file), specifier);
  const ext = extname(target);
  const base = SOURCE_EXTENSIONS.includes(ext) ? target.slice(0, -ext.length) : target;
  const candidates = [...SOURCE_EXTENSIONS.map((e) => base + e), join(target, 'index.ts'), join(target, 'index.tsx')];
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}
