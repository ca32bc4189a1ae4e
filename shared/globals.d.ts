/**
 * The one web-platform global shared/ uses, declared as far as it uses it.
 * shared/ compiles without the DOM library and without Node's types (it must
 * run in both processes); the WHATWG URL class is a global in both, so it is
 * declared here rather than pulling either platform in. Not emitted: the
 * renderer and main see their own (complete) declarations.
 */
declare class URL {
  constructor(url: string, base?: string);
  readonly protocol: string;
}
