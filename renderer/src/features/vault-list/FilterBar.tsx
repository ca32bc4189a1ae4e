import type { ReactNode } from 'react';
import { CREDENTIAL_TYPES, type CredentialTypeId } from '../../../../shared/credential-types/index';
import { inputClass } from '../../components/Field';
import { X } from '../../components/icons';
import { formatCount } from '../../lib/format';
import { useStore, type StatusFilter } from '../../store';

const STATUSES: { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Inactive' },
];

function FilterSelect({ label, value, onChange, children }: { label: string; value: string; onChange: (v: string) => void; children: ReactNode }) {
  return (
    <select
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      className={`${inputClass} kw-select h-8 w-full min-w-0 truncate pr-7 text-[13px] ${value ? 'border-accent/60 bg-accent-soft text-accent-text' : ''}`}
    >
      {children}
    </select>
  );
}

export function FilterBar({ providers, tags, shown, total, filtering }: { providers: string[]; tags: string[]; shown: number; total: number; filtering: boolean }) {
  const filters = useStore((s) => s.filters);
  const setFilter = useStore((s) => s.setFilter);
  const clearFilters = useStore((s) => s.clearFilters);

  return (
    <div className="space-y-2 border-b border-line px-4 py-2.5" role="group" aria-label="Filters">
      <div className="grid grid-cols-[1fr_1.25fr_1fr] gap-2">
        <FilterSelect label="Type" value={filters.type} onChange={(v) => setFilter('type', v as CredentialTypeId | '')}>
          <option value="">All types</option>
          {CREDENTIAL_TYPES.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect label="Provider" value={filters.provider} onChange={(v) => setFilter('provider', v)}>
          <option value="">All providers</option>
          {providers.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect label="Tag" value={filters.tag} onChange={(v) => setFilter('tag', v)}>
          <option value="">All tags</option>
          {tags.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </FilterSelect>
      </div>
      <div className="flex items-center gap-2">
        <div role="radiogroup" aria-label="Status" className="flex h-8 items-center rounded-lg border border-line-strong bg-subtle p-0.5">
          {STATUSES.map((s) => (
            <button
              key={s.value}
              type="button"
              role="radio"
              aria-checked={filters.status === s.value}
              onClick={() => setFilter('status', s.value)}
              className={`h-full rounded-md px-2.5 text-[13px] font-medium ${filters.status === s.value ? 'bg-surface text-fg shadow-xs' : 'text-muted hover:text-fg'}`}
            >
              {s.label}
            </button>
          ))}
        </div>
        <div className="ml-auto flex items-center gap-1 text-xs text-muted">
          <span aria-live="polite">{filtering ? `${formatCount(shown)} of ${formatCount(total)}` : `${formatCount(total)} ${total === 1 ? 'credential' : 'credentials'}`}</span>
          {filtering ? (
            <button type="button" onClick={clearFilters} className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 font-medium text-accent-text hover:bg-accent-soft">
              <X size={12} aria-hidden="true" />
              Clear
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
