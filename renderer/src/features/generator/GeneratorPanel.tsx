/**
 * The generator: passwords, passphrases and API-style secrets, made in main
 * from the OS CSPRNG ('generator.generate'). Shows the value, the exact
 * entropy of the process and its score; options that break the active
 * password policy are refused there and shown here, at the option.
 * Used as its own screen and, with `onUse`, inline in the value forms.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { DEFAULT_GENERATOR_OPTIONS, GENERATOR_LIMITS, type GeneratedValue, type GeneratorOptions } from '../../../../shared/generator-options';
import { Button } from '../../components/Button';
import { CheckboxField, SelectField, TextField } from '../../components/Field';
import { Check, Copy, RefreshCw, ShieldAlert, TriangleAlert } from '../../components/icons';
import { call } from '../../lib/api';
import { SCORE_LABELS } from '../../lib/strength';
import { useStore } from '../../store';
import { ScoreBars } from './ScoreBars';

export type GeneratorKind = GeneratorOptions['kind'];
type PasswordOptions = Extract<GeneratorOptions, { kind: 'password' }>;
type PassphraseOptions = Extract<GeneratorOptions, { kind: 'passphrase' }>;
type ApiOptions = Extract<GeneratorOptions, { kind: 'api' }>;

const KIND_LABELS: Record<GeneratorKind, string> = { password: 'Password', passphrase: 'Passphrase', api: 'API secret' };
const L = GENERATOR_LIMITS;

interface Props {
  initialKind?: GeneratorKind;
  /** Inline use: the value the user picks goes back to the form. */
  onValue?: (value: string | null) => void;
  /** Show the Copy button (the screen; inline forms fill their field instead). */
  allowCopy?: boolean;
}

interface GenError {
  message: string;
  field: string | null;
  policy: boolean;
}

export function GeneratorPanel({ initialKind = 'password', onValue, allowCopy = false }: Props) {
  const toast = useStore((s) => s.toast);
  const [kind, setKind] = useState<GeneratorKind>(initialKind);
  const [password, setPassword] = useState<PasswordOptions>({ ...DEFAULT_GENERATOR_OPTIONS.password });
  const [passphrase, setPassphrase] = useState<PassphraseOptions>({ ...DEFAULT_GENERATOR_OPTIONS.passphrase });
  const [api, setApi] = useState<ApiOptions>({ ...DEFAULT_GENERATOR_OPTIONS.api });
  const [result, setResult] = useState<GeneratedValue | null>(null);
  const [error, setError] = useState<GenError | null>(null);
  const [round, setRound] = useState(0);
  const [force, setForce] = useState(false);
  const [copied, setCopied] = useState(false);
  const valueId = useId();

  const options: GeneratorOptions = kind === 'password' ? password : kind === 'passphrase' ? passphrase : api;
  const optionsKey = JSON.stringify(options);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      void call('generator.generate', { options: JSON.parse(optionsKey) as GeneratorOptions, ...(force ? { force: true } : {}) }).then((r) => {
        if (cancelled) return;
        setCopied(false);
        if (r.ok) {
          setResult(r.value);
          setError(null);
          onValue?.(r.value.value);
        } else {
          setResult(null);
          onValue?.(null);
          setError({ message: r.error.message, field: r.error.field ?? null, policy: r.error.message.startsWith('The active policy') });
        }
      });
    }, 120);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // onValue is a callback from the parent; the request depends only on the options.
  }, [optionsKey, round, force]);

  const changeKind = (k: GeneratorKind) => {
    setKind(k);
    setForce(false);
  };
  // Main names the field ('bytes'); schema checks may name its path ('options.bytes').
  const fieldIs = (f: string | null, key: string) => f === key || (f ?? '').endsWith(`.${key}`);
  const errorFor = (field: string): string | undefined => (error && fieldIs(error.field, field) ? error.message : undefined);
  const optionError = error && error.field ? error : null;

  const canCopy = allowCopy && typeof navigator !== 'undefined' && typeof navigator.clipboard?.writeText === 'function';
  const copy = async () => {
    if (!result) return;
    try {
      await navigator.clipboard.writeText(result.value);
      setCopied(true);
      toast('info', 'Copied. Keyward does not clear this copy by itself: it is not stored in the vault.');
    } catch {
      toast('error', 'The clipboard is not available here: select the value and copy it.');
    }
  };

  const num = (v: string) => (v === '' ? NaN : Number(v));

  return (
    <div className="space-y-5">
      <div role="radiogroup" aria-label="Kind of value" className="inline-flex rounded-lg border border-line-strong bg-subtle p-0.5">
        {(['password', 'passphrase', 'api'] as const).map((k) => (
          <label
            key={k}
            className={`cursor-pointer rounded-md px-3 py-1.5 text-[13px] font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring ${kind === k ? 'bg-surface text-fg shadow-xs' : 'text-muted hover:text-fg'}`}
          >
            <input type="radio" name={`${valueId}-kind`} value={k} checked={kind === k} onChange={() => changeKind(k)} className="sr-only" />
            {KIND_LABELS[k]}
          </label>
        ))}
      </div>

      <div className="rounded-xl border border-line bg-subtle/60 p-4">
        <div className="flex items-start gap-2">
          <output
            id={valueId}
            aria-label="Generated value"
            data-testid="generated-value"
            className="min-h-[2.75rem] min-w-0 flex-1 rounded-lg border border-line bg-surface px-3 py-2.5 font-mono text-[15px] break-all select-all"
          >
            {result?.value ?? (error ? '' : '…')}
          </output>
          <div className="flex shrink-0 flex-col gap-1.5">
            <Button size="sm" icon={RefreshCw} onClick={() => setRound((n) => n + 1)} disabled={!!error && !error.policy && !force}>
              Regenerate
            </Button>
            {canCopy ? (
              <Button size="sm" icon={copied ? Check : Copy} onClick={() => void copy()} disabled={!result}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            ) : null}
          </div>
        </div>
        <div className="mt-3 flex items-center gap-3">
          <ScoreBars score={result?.score ?? null} label="Generated value strength" className="w-40" />
          <p className="text-xs text-muted" data-testid="generated-entropy">
            {result ? (
              <>
                <span className="font-semibold text-fg">{Math.floor(result.entropyBits)} bits</span> of entropy · {SCORE_LABELS[result.score]} ({result.score} of 4)
              </>
            ) : (
              'No value'
            )}
          </p>
        </div>
        {allowCopy && !canCopy ? <p className="mt-2 text-xs text-muted">Select the value above to copy it.</p> : null}
      </div>

      {kind === 'password' ? (
        <Options>
          <RangeNumber
            label="Length"
            unit="characters"
            min={L.passwordLength.min}
            max={L.passwordLength.max}
            sliderMax={64}
            value={password.length}
            error={errorFor('length')}
            onChange={(n) => setPassword((o) => ({ ...o, length: n }))}
          />
          <div className="grid grid-cols-2 gap-x-4 gap-y-2.5" role="group" aria-label="Characters">
            <CheckboxField label="Lower-case letters (a–z)" checked={password.lower} onChange={(e) => setPassword((o) => ({ ...o, lower: e.target.checked }))} />
            <CheckboxField label="Upper-case letters (A–Z)" checked={password.upper} onChange={(e) => setPassword((o) => ({ ...o, upper: e.target.checked }))} />
            <CheckboxField label="Digits (0–9)" checked={password.digits} onChange={(e) => setPassword((o) => ({ ...o, digits: e.target.checked }))} />
            <CheckboxField label="Symbols (!#%…)" checked={password.symbols} onChange={(e) => setPassword((o) => ({ ...o, symbols: e.target.checked }))} />
            <CheckboxField
              label="Exclude look-alikes"
              note="No l, 1, I, O, 0 and friends."
              checked={password.excludeLookAlikes}
              onChange={(e) => setPassword((o) => ({ ...o, excludeLookAlikes: e.target.checked }))}
            />
          </div>
        </Options>
      ) : kind === 'passphrase' ? (
        <Options>
          <RangeNumber
            label="Words"
            unit="words"
            min={L.passphraseWords.min}
            max={L.passphraseWords.max}
            sliderMax={L.passphraseWords.max}
            value={passphrase.words}
            error={errorFor('words')}
            onChange={(n) => setPassphrase((o) => ({ ...o, words: n }))}
          />
          <div className="grid grid-cols-2 gap-4">
            <TextField
              label="Separator"
              value={passphrase.separator}
              maxLength={L.separatorLength}
              error={errorFor('separator')}
              spellCheck={false}
              className="font-mono"
              onChange={(e) => setPassphrase((o) => ({ ...o, separator: e.target.value }))}
            />
            <div className="space-y-2.5 pt-6">
              <CheckboxField label="Capitalize words" checked={passphrase.capitalize} onChange={(e) => setPassphrase((o) => ({ ...o, capitalize: e.target.checked }))} />
              <CheckboxField label="Include a number" checked={passphrase.includeNumber} onChange={(e) => setPassphrase((o) => ({ ...o, includeNumber: e.target.checked }))} />
            </div>
          </div>
        </Options>
      ) : (
        <Options>
          <div className="grid grid-cols-3 gap-4">
            <TextField
              label="Random bytes"
              type="number"
              inputMode="numeric"
              min={L.apiBytes.min}
              max={L.apiBytes.max}
              value={Number.isNaN(api.bytes) ? '' : String(api.bytes)}
              error={errorFor('bytes')}
              hint={`${L.apiBytes.min}–${L.apiBytes.max}`}
              onChange={(e) => setApi((o) => ({ ...o, bytes: num(e.target.value) }))}
            />
            <SelectField label="Encoding" value={api.encoding} error={errorFor('encoding')} onChange={(e) => setApi((o) => ({ ...o, encoding: e.target.value as ApiOptions['encoding'] }))}>
              <option value="base62">base62 (A–Z a–z 0–9)</option>
              <option value="base64url">base64url</option>
              <option value="hex">hex</option>
            </SelectField>
            <TextField
              label="Prefix"
              value={api.prefix}
              maxLength={L.prefixLength}
              placeholder="e.g. sk_live_"
              error={errorFor('prefix')}
              spellCheck={false}
              className="font-mono"
              onChange={(e) => setApi((o) => ({ ...o, prefix: e.target.value }))}
            />
          </div>
        </Options>
      )}

      {optionError && !['length', 'words', 'separator', 'bytes', 'prefix', 'encoding'].some((k) => fieldIs(optionError.field, k)) ? (
        <div role="alert" className="flex items-start gap-2 rounded-lg bg-danger-soft px-3 py-2.5 text-[13px] text-danger-text">
          <TriangleAlert size={15} className="mt-0.5 shrink-0" aria-hidden="true" />
          <div className="min-w-0">
            <p>{optionError.message}</p>
            {optionError.policy ? (
              <Button size="sm" className="mt-2" icon={ShieldAlert} onClick={() => setForce(true)}>
                Generate anyway
              </Button>
            ) : null}
          </div>
        </div>
      ) : error && !error.field ? (
        <p role="alert" className="text-[13px] text-danger-text">
          {error.message}
        </p>
      ) : null}
      {force && kind === 'password' ? <p className="text-xs text-warn-text">Generating outside the active policy: such a value shows up as a finding when stored.</p> : null}
    </div>
  );
}

function Options({ children }: { children: ReactNode }) {
  return <div className="space-y-4">{children}</div>;
}

function RangeNumber({
  label,
  unit,
  min,
  max,
  sliderMax,
  value,
  error,
  onChange,
}: {
  label: string;
  unit: string;
  min: number;
  max: number;
  sliderMax: number;
  value: number;
  error?: string;
  onChange: (n: number) => void;
}) {
  const id = useId();
  return (
    <div>
      <div className="mb-1.5 flex items-baseline justify-between">
        <label htmlFor={id} className="text-[13px] font-medium">
          {label}
        </label>
        <span className="text-xs text-muted">
          {min}–{max} {unit}
        </span>
      </div>
      <div className="flex items-center gap-3">
        <input
          id={id}
          type="range"
          min={min}
          max={Math.max(sliderMax, Number.isFinite(value) ? Math.min(value, max) : min)}
          value={Number.isFinite(value) ? value : min}
          onChange={(e) => onChange(Number(e.target.value))}
          className="min-w-0 flex-1 accent-accent"
        />
        <input
          type="number"
          inputMode="numeric"
          aria-label={`${label} (${unit})`}
          min={min}
          max={max}
          value={Number.isFinite(value) ? String(value) : ''}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => onChange(e.target.value === '' ? NaN : Number(e.target.value))}
          className="h-9 w-20 rounded-lg border border-line-strong bg-surface px-2 text-sm tabular-nums shadow-xs focus:border-accent focus:outline-2 focus:outline-offset-0 focus:outline-ring/40 aria-[invalid=true]:border-danger"
        />
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="mt-1.5 text-[13px] text-danger-text">
          {error}
        </p>
      ) : null}
    </div>
  );
}
