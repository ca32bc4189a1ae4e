/** `keyward generate`: a new value, printed; no vault needed. */
import { DEFAULT_GENERATOR_OPTIONS, type GeneratorOptions } from '../../../shared/generator-options.js';
import { fail } from '../../core/errors.js';
import { emit, type Flags } from '../output.js';
import type { CommandFamily, Invocation } from './spec.js';

function int(flags: Flags, key: string): number | undefined {
  if (flags[key] === undefined) return undefined;
  const n = Number(flags[key]);
  if (!Number.isInteger(n)) throw fail.badRequest(`--${key} takes a whole number.`);
  return n;
}

function generatorOptionsFrom(flags: Flags): GeneratorOptions {
  const kind = (flags.kind as string | undefined) ?? 'password';
  if (kind === 'password') {
    const d = DEFAULT_GENERATOR_OPTIONS.password;
    return {
      kind,
      length: int(flags, 'length') ?? d.length,
      lower: !flags['no-lower'],
      upper: !flags['no-upper'],
      digits: !flags['no-digits'],
      symbols: !flags['no-symbols'],
      excludeLookAlikes: Boolean(flags['exclude-look-alikes']),
    };
  }
  if (kind === 'passphrase') {
    const d = DEFAULT_GENERATOR_OPTIONS.passphrase;
    return {
      kind,
      words: int(flags, 'words') ?? d.words,
      separator: (flags.separator as string | undefined) ?? d.separator,
      capitalize: Boolean(flags.capitalize),
      includeNumber: Boolean(flags['include-number']),
    };
  }
  if (kind === 'api') {
    const encoding = (flags.encoding as string | undefined) ?? DEFAULT_GENERATOR_OPTIONS.api.encoding;
    if (encoding !== 'hex' && encoding !== 'base64url' && encoding !== 'base62') throw fail.badRequest('--encoding is hex, base64url or base62.');
    return { kind, bytes: int(flags, 'bytes') ?? DEFAULT_GENERATOR_OPTIONS.api.bytes, encoding, prefix: (flags.prefix as string | undefined) ?? '' };
  }
  throw fail.badRequest('--kind is password, passphrase or api.');
}

async function generateValue({ core, flags, o }: Invocation): Promise<void> {
  const options = generatorOptionsFrom(flags);
  // Generated passwords always satisfy the active policy, unless asked with --force.
  const generated = await core.generator.generate(options, { force: Boolean(flags.force) });
  emit(o, { ...generated, options }, () => generated.value);
}

export const generatorCommands: CommandFamily = {
  title: 'Generator',
  commands: [
    {
      name: 'generate',
      args: [],
      options: {
        kind: { type: 'string', value: 'password|passphrase|api' },
        length: { type: 'string', value: 'N' },
        'no-lower': { type: 'boolean' },
        'no-upper': { type: 'boolean' },
        'no-digits': { type: 'boolean' },
        'no-symbols': { type: 'boolean' },
        'exclude-look-alikes': { type: 'boolean' },
        words: { type: 'string', value: 'N' },
        separator: { type: 'string', value: 'S' },
        capitalize: { type: 'boolean' },
        'include-number': { type: 'boolean' },
        bytes: { type: 'string', value: 'N' },
        encoding: { type: 'string', value: 'hex|base64url|base62' },
        prefix: { type: 'string', value: 'P' },
        force: { type: 'boolean' },
      },
      synopsis: 'generate [options]',
      summary: 'print a new value (no vault needed); with no options, a password that satisfies the active policy (--force: even one that does not)',
      notes: [
        '--kind password|passphrase|api',
        'password:   --length N --no-lower --no-upper --no-digits --no-symbols --exclude-look-alikes',
        'passphrase: --words N --separator S --capitalize --include-number',
        'api:        --bytes N --encoding hex|base64url|base62 --prefix P',
      ],
      needs: 'nothing',
      run: generateValue,
    },
  ],
};
