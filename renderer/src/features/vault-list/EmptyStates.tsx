import { Button } from '../../components/Button';
import { CREDENTIAL_TYPES, type CredentialTypeId } from '../../../../shared/credential-types/index';
import { KeyRound, Plus, SearchX, TypeIcon } from '../../components/icons';

/** `onNew` opens "New credential", with a type chosen when the user picked one of the type tiles. */
export function NoCredentials({ onNew }: { onNew: (type?: CredentialTypeId) => void }) {
  return (
    <div className="flex h-full flex-col items-center justify-center px-8 text-center">
      <div className="mb-5 flex h-16 w-16 items-center justify-center rounded-2xl bg-accent-soft text-accent-text">
        <KeyRound size={30} aria-hidden="true" />
      </div>
      <h2 className="text-lg font-semibold">No credentials yet</h2>
      <p className="mt-2 max-w-sm text-sm text-muted">Add your first API key, password, token or secret. Values are encrypted before they touch the disk, and never leave this computer.</p>
      <Button variant="primary" icon={Plus} className="mt-6" onClick={() => onNew()}>
        Add a credential
      </Button>
      <div className="mt-8 grid max-w-lg grid-cols-4 gap-3 text-xs text-muted">
        {CREDENTIAL_TYPES.map((t) => (
          <button
            key={t.id}
            type="button"
            aria-label={`New ${t.label}`}
            onClick={() => onNew(t.id)}
            className="flex flex-col items-center gap-1.5 rounded-xl border border-line bg-surface px-3 py-3 hover:border-line-strong hover:bg-hover hover:text-fg focus-visible:outline-2 focus-visible:outline-ring"
          >
            <TypeIcon type={t.id} size={18} className="text-accent-text" />
            {t.label}
          </button>
        ))}
      </div>
      <p className="mt-6 text-xs text-faint">
        Tip: press <kbd className="kbd">N</kbd> to add one from anywhere.
      </p>
    </div>
  );
}

export function NoResults({ onClear }: { onClear: () => void }) {
  return (
    <div className="flex h-full flex-col items-center justify-center px-8 text-center">
      <div className="mb-4 flex h-14 w-14 items-center justify-center rounded-2xl bg-subtle text-muted">
        <SearchX size={26} aria-hidden="true" />
      </div>
      <h2 className="text-base font-semibold">No matching credentials</h2>
      <p className="mt-1.5 max-w-64 text-sm text-muted">Nothing matches this search and these filters.</p>
      <Button className="mt-5" onClick={onClear}>
        Clear search and filters
      </Button>
    </div>
  );
}
