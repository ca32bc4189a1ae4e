/** Keyward's version, put in by the build (scripts/build.mjs `define`) from package.json. */
declare const KEYWARD_VERSION: string;
