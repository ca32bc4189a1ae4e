// keyward/no-import-cycle: no chain of value imports between our own files
// leads back to the file it started from. A runtime cycle means one of the
// modules runs while the other is half-initialised, and neither can be
// understood or moved alone. Type-only imports are erased at build time and do
// not count (as in eslint-plugin-import's no-cycle): slices of one store may
// name each other's types.
// The linted file is read from ESLint's AST (so unsaved text counts); the
// files it reaches are parsed from disk, once per version (mtime).
import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import tseslint from 'typescript-eslint';
import { importSources } from './import-sources.js';
import { resolveSourceFile } from './module-paths.js';

/** Calls `visitors[node.type]` for every node of an ESTree tree. */
function walk(node, visitors) {
  visitors[node.type]?.(node);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent') continue;
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child.type === 'string') walk(child, visitors);
    }
  }
}

/** The relative specifiers a file imports values from, collected with the same visitors as the rules. */
function valueImportsIn(file, text) {
  const { ast } = tseslint.parser.parseForESLint(text, { filePath: file, sourceType: 'module', ecmaVersion: 'latest' });
  const specifiers = [];
  walk(ast, importSources((source, typeOnly) => typeOnly || specifiers.push(source.value)));
  return specifiers;
}

/** file → { mtimeMs, imports: the files it imports values from } */
const parsed = new Map();

function importsOf(file) {
  const { mtimeMs } = statSync(file);
  const cached = parsed.get(file);
  if (cached?.mtimeMs === mtimeMs) return cached.imports;
  const imports = valueImportsIn(file, readFileSync(file, 'utf8'))
    .filter((s) => s.startsWith('.'))
    .map((s) => resolveSourceFile(file, s))
    .filter((f) => f !== null);
  parsed.set(file, { mtimeMs, imports });
  return imports;
}

/** A chain of files from `start` back to `target`, or null. Depth-first; each file is visited once. */
function chainBackTo(target, start) {
  const seen = new Set();
  const visit = (file) => {
    if (file === target) return [file];
    if (seen.has(file)) return null;
    seen.add(file);
    for (const next of importsOf(file)) {
      const rest = visit(next);
      if (rest) return [file, ...rest];
    }
    return null;
  };
  return visit(start);
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbids import cycles between our own modules' },
    schema: [],
    messages: { cycle: 'Import cycle: {{chain}}. Move what both sides need into a module of its own, or invert the dependency.' },
  },
  create(context) {
    const file = context.filename;
    return importSources((source, typeOnly) => {
      if (typeOnly || !source.value.startsWith('.')) return;
      const target = resolveSourceFile(file, source.value);
      if (!target || target === file) return;
      const chain = chainBackTo(file, target);
      if (chain) context.report({ node: source, messageId: 'cycle', data: { chain: [file, ...chain].map((f) => relative(context.cwd, f)).join(' → ') } });
    });
  },
};
