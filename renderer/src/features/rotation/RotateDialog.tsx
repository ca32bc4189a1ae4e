/**
 * Rotate: a new value becomes current; the old one moves to the history.
 * Paste the provider's new value, or let Keyward generate one when the type
 * has a generator.
 */
import { useId, useState } from 'react';
import { credentialType } from '../../../../shared/credential-types/index';
import { Button } from '../../components/Button';
import { ClampedText } from '../../components/ClampedText';
import { Dialog } from '../../components/Dialog';
import { PasswordField } from '../../components/Field';
import { RotateCw, ShieldAlert, WandSparkles } from '../../components/icons';
import { useStore } from '../../store';
import { describeGenerator } from '../credential-form/generator';
import { refusalText } from '../credential-form/refusal-text';
import { OpenGeneratorButton } from '../generator/OpenGeneratorButton';
import { ValueStrength } from '../generator/ValueStrength';
import { findingsStatedByHint, valueHint } from '../generator/value-hint';

export function RotateDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const credential = useStore((s) => s.credentials.find((c) => c.id === id));
  const rotateCredential = useStore((s) => s.rotateCredential);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [mode, setMode] = useState<'paste' | 'generate'>('paste');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [policy, setPolicy] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const meterId = useId();

  if (!credential) return null;
  const type = credentialType(credential.type);
  // Where the provider issues the key (a Stripe key, say), a generated value would be no key at all.
  const canGenerate = type.generator !== null && !credential.issuedByProvider;

  const submit = async (force = false) => {
    if (mode === 'paste' && !value) {
      setError(`Paste the new ${type.secretLabel.toLowerCase()}.`);
      return;
    }
    setBusy(true);
    const r = await rotateCredential(id, mode === 'generate' ? { generate: true } : { value }, force);
    setBusy(false);
    if (r.ok) {
      toast('success', `Rotated: version ${r.value.currentVersion} is now current.`);
      onClose();
      return;
    }
    if (r.error.code === 'POLICY') return setPolicy(refusalText(r.error, type.secretLabel));
    if (r.error.code === 'BAD_REQUEST' && r.error.field?.split('.').includes('value')) return setError(r.error.message);
    toastError(r.error);
  };

  const forceButton = (
    <Button size="sm" icon={ShieldAlert} busy={busy} onClick={() => void submit(true)}>
      Store anyway
    </Button>
  );

  return (
    <Dialog
      title={<ClampedText lines={3} text={`Rotate “${credential.name}”`} />}
      description={`The new ${type.secretLabel.toLowerCase()} becomes version ${credential.currentVersion + 1}. The current one is kept in the history.`}
      onClose={onClose}
      onSubmit={() => void submit(false)}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" icon={RotateCw} busy={busy}>
            Rotate
          </Button>
        </>
      }
    >
      {canGenerate ? (
        <div role="radiogroup" aria-label="New value" className="mb-4 grid grid-cols-2 gap-2">
          {(['paste', 'generate'] as const).map((m) => (
            <label
              key={m}
              className={`flex cursor-pointer items-center gap-2 rounded-lg border px-3 py-2.5 text-sm ${mode === m ? 'border-accent bg-accent-soft text-accent-text' : 'border-line-strong hover:bg-hover'}`}
            >
              <input
                type="radio"
                name="rotate-mode"
                value={m}
                checked={mode === m}
                onChange={() => {
                  setMode(m);
                  setPolicy(null);
                  setError(null);
                }}
                className="accent-accent"
              />
              {m === 'paste' ? 'Paste a new value' : 'Generate'}
            </label>
          ))}
        </div>
      ) : null}
      {mode === 'paste' ? (
        <>
        <PasswordField
          label={`New ${type.secretLabel.toLowerCase()}`}
          noun="value"
          autoFocus
          value={value}
          error={policy ?? error}
          errorAction={policy ? forceButton : undefined}
          aria-describedby={value ? meterId : undefined}
          hint={valueHint(value)}
          labelAside={
            <OpenGeneratorButton
              credentialType={credential.type}
              onUse={(v) => {
                setValue(v);
                setError(null);
                setPolicy(null);
              }}
            />
          }
          onChange={(e) => {
            setValue(e.target.value);
            setError(null);
            setPolicy(null);
          }}
        />
        <ValueStrength id={meterId} value={value} password={credential.type === 'password'} credentialId={id} stated={findingsStatedByHint(value)} />
        </>
      ) : (
        <div>
          <div className="flex items-center gap-3 rounded-lg border border-dashed border-accent/50 bg-accent-soft px-3 py-3 text-sm text-accent-text">
            <WandSparkles size={16} className="shrink-0" aria-hidden="true" />
            Keyward will generate {describeGenerator(type.generator!)}.
          </div>
          {policy ? (
            <div className="mt-2 text-[13px] text-danger-text" role="alert">
              <p>{policy}</p>
              <div className="mt-2">{forceButton}</div>
            </div>
          ) : null}
        </div>
      )}
      {!type.generator ? <p className="mt-3 text-xs text-muted">{type.label} values are issued by the provider: create the new one there, then paste it here.</p> : null}
      {type.generator && credential.issuedByProvider ? (
        <p className="mt-3 text-xs text-muted [overflow-wrap:anywhere]">
          {credential.provider} issues these keys: create the new one at {credential.provider}, then paste it here.
        </p>
      ) : null}
    </Dialog>
  );
}
