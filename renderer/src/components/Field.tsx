/**
 * Form fields with a visible label, an optional hint, and an inline error
 * wired up with aria-invalid / aria-describedby so tests and screen readers
 * find each control by its label.
 */
import { forwardRef, useId, useState, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { Eye, EyeOff, TriangleAlert } from './icons';

export const inputClass =
  'block w-full rounded-lg border border-line-strong bg-surface px-3 text-sm text-fg shadow-xs placeholder:text-faint ' +
  'focus:border-accent focus:outline-2 focus:outline-offset-0 focus:outline-ring/40 disabled:cursor-not-allowed disabled:opacity-60 ' +
  'aria-[invalid=true]:border-danger aria-[invalid=true]:focus:outline-danger/30';

interface FieldFrameProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  /** Extra content under the error (e.g. a "Store anyway" button). */
  errorAction?: ReactNode;
  labelAside?: ReactNode;
  className?: string;
  children: ReactNode;
}

export function FieldFrame({ id, label, hint, error, errorAction, labelAside, className = '', children }: FieldFrameProps) {
  return (
    <div className={className}>
      <div className="mb-1.5 flex items-baseline justify-between gap-2">
        <label htmlFor={id} className="text-[13px] font-medium text-fg">
          {label}
        </label>
        {labelAside}
      </div>
      {children}
      {hint && !error ? (
        <p id={`${id}-hint`} className="mt-1.5 text-xs text-muted">
          {hint}
        </p>
      ) : null}
      {error ? (
        <div id={`${id}-error`} className="mt-1.5 flex items-start gap-1.5 text-[13px] text-danger-text">
          <TriangleAlert size={14} className="mt-0.5 shrink-0" aria-hidden="true" />
          <div className="min-w-0 [overflow-wrap:anywhere]">
            <p>{error}</p>
            {errorAction ? <div className="mt-2">{errorAction}</div> : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  if (error) return `${id}-error`;
  if (hint) return `${id}-hint`;
  return undefined;
}

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  errorAction?: ReactNode;
  labelAside?: ReactNode;
  /** Content inside the input's right edge (buttons). */
  trailing?: ReactNode;
  containerClassName?: string;
}

export const TextField = forwardRef<HTMLInputElement, TextFieldProps>(function TextField(
  { label, hint, error, errorAction, labelAside, trailing, containerClassName, className = '', 'aria-describedby': extraDescribedBy, ...rest },
  ref,
) {
  const id = useId();
  const described = [describedBy(id, hint, error), extraDescribedBy].filter(Boolean).join(' ') || undefined;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} errorAction={errorAction} labelAside={labelAside} className={containerClassName}>
      <div className="relative">
        <input
          ref={ref}
          id={id}
          aria-invalid={error ? true : undefined}
          aria-describedby={described}
          className={`${inputClass} h-9 ${trailing ? 'pr-20' : ''} ${className}`}
          {...rest}
        />
        {trailing ? <div className="absolute inset-y-0 right-1 flex items-center gap-0.5">{trailing}</div> : null}
      </div>
    </FieldFrame>
  );
});

export interface PasswordFieldProps extends Omit<TextFieldProps, 'type' | 'trailing'> {
  /** What the show/hide button calls the value ("password", "value"). */
  noun?: string;
  extraTrailing?: ReactNode;
}

export const PasswordField = forwardRef<HTMLInputElement, PasswordFieldProps>(function PasswordField({ noun = 'password', extraTrailing, className = '', ...rest }, ref) {
  const [shown, setShown] = useState(false);
  const Icon = shown ? EyeOff : Eye;
  return (
    <TextField
      ref={ref}
      type={shown ? 'text' : 'password'}
      autoComplete="off"
      spellCheck={false}
      className={`font-mono ${className}`}
      trailing={
        <>
          {extraTrailing}
          <button
            type="button"
            aria-label={`${shown ? 'Hide' : 'Show'} ${noun}`}
            title={`${shown ? 'Hide' : 'Show'} ${noun}`}
            aria-pressed={shown}
            onClick={() => setShown((s) => !s)}
            className="inline-flex h-7 w-7 items-center justify-center rounded-md text-muted hover:bg-hover hover:text-fg"
          >
            <Icon size={16} aria-hidden="true" />
          </button>
        </>
      }
      {...rest}
    />
  );
});

export interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
}

export function TextAreaField({ label, hint, error, className = '', ...rest }: TextAreaFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={`${inputClass} min-h-[72px] resize-y py-2 ${className}`}
        {...rest}
      />
    </FieldFrame>
  );
}

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  containerClassName?: string;
}

export function SelectField({ label, hint, error, className = '', containerClassName, children, ...rest }: SelectFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={containerClassName}>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={`${inputClass} kw-select h-9 pr-8 ${className}`}
        {...rest}
      >
        {children}
      </select>
    </FieldFrame>
  );
}

/** A checkbox with its label beside it, and an optional note under it. */
export function CheckboxField({ label, note, className = '', ...rest }: Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'id'> & { label: ReactNode; note?: ReactNode }) {
  const id = useId();
  return (
    <div className={`flex items-start gap-2.5 ${className}`}>
      <input id={id} type="checkbox" aria-describedby={note ? `${id}-note` : undefined} className="mt-0.5 h-4 w-4 shrink-0 accent-accent disabled:opacity-50" {...rest} />
      <div className="min-w-0">
        <label htmlFor={id} className={`text-sm ${rest.disabled ? 'text-muted' : 'text-fg'}`}>
          {label}
        </label>
        {note ? (
          <p id={`${id}-note`} className="mt-0.5 text-xs text-muted">
            {note}
          </p>
        ) : null}
      </div>
    </div>
  );
}
