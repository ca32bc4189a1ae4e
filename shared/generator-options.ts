/** What the generator can be asked for: shared by the CLI, IPC and the generator screen. */
export type GeneratorOptions =
  | {
      kind: 'password';
      length: number;
      lower: boolean;
      upper: boolean;
      digits: boolean;
      symbols: boolean;
      excludeLookAlikes: boolean;
    }
  | { kind: 'passphrase'; words: number; separator: string; capitalize: boolean; includeNumber: boolean }
  | { kind: 'api'; bytes: number; encoding: 'hex' | 'base64url' | 'base62'; prefix: string };

export interface GeneratedValue {
  value: string;
  /** Exact entropy of the generation process (not an estimate of the output). */
  entropyBits: number;
  /** 0–4 on the estimator's scale, from the entropy. */
  score: 0 | 1 | 2 | 3 | 4;
}

export const DEFAULT_GENERATOR_OPTIONS = {
  password: { kind: 'password', length: 20, lower: true, upper: true, digits: true, symbols: true, excludeLookAlikes: false },
  passphrase: { kind: 'passphrase', words: 6, separator: '-', capitalize: false, includeNumber: false },
  api: { kind: 'api', bytes: 32, encoding: 'base62', prefix: '' },
} as const satisfies Record<GeneratorOptions['kind'], GeneratorOptions>;

export const GENERATOR_LIMITS = {
  passwordLength: { min: 8, max: 256 },
  passphraseWords: { min: 3, max: 20 },
  apiBytes: { min: 16, max: 256 },
  separatorLength: 3,
  prefixLength: 32,
} as const;
