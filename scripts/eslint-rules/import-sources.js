// Every way a TypeScript file names another module, as ESLint visitors: static
// and type-only imports, re-exports, dynamic import(), `typeof import('x')` in
// types, `import x = require('x')` and require('x'). A layer rule that missed
// one of these would be a rule a file could walk around.

/**
 * @param {(source: { value: string }, typeOnly: boolean) => void} visit called once per
 *   module specifier (the string literal node), with whether only types are imported (erased at build time)
 */
export function importSources(visit) {
  const literal = (node, typeOnly) => {
    if (node && node.type === 'Literal' && typeof node.value === 'string') visit(node, typeOnly);
  };
  const onlyTypeSpecifiers = (node) => node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
  return {
    ImportDeclaration: (node) => literal(node.source, node.importKind === 'type' || onlyTypeSpecifiers(node)),
    ExportNamedDeclaration: (node) => literal(node.source, node.exportKind === 'type' || onlyTypeSpecifiers(node)),
    ExportAllDeclaration: (node) => literal(node.source, node.exportKind === 'type'),
    ImportExpression: (node) => literal(node.source, false),
    TSImportType: (node) => literal(node.source, true),
    TSExternalModuleReference: (node) => literal(node.expression, false),
    CallExpression: (node) => {
      if (node.callee.type === 'Identifier' && node.callee.name === 'require') literal(node.arguments[0], false);
    },
  };
}
