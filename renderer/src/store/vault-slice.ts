/**
 * The unlocked vault as the renderer mirrors it: metadata only (summaries and
 * the open credential's detail), the filters, and the selection. Secret values
 * never enter the store: reveal lives in the detail component for 10 s, copy
 * happens in main.
 */
import type { CredentialTypeId } from '../../../shared/credential-types/index';
import type { CredentialDetail, CredentialPatch, CredentialSummary, NewCredential, ValueSource } from '../../../shared/domain';
import { call, type ErrorInfo, type Result } from '../lib/api';
import { sortedByName, upsert } from './credential-list';
import type { SliceCreator } from './types';

export type StatusFilter = 'all' | 'active' | 'inactive';

export interface Filters {
  query: string;
  type: CredentialTypeId | '';
  provider: string;
  tag: string;
  status: StatusFilter;
}

export const emptyFilters: Filters = { query: '', type: '', provider: '', tag: '', status: 'all' };

export interface VaultState {
  credentials: CredentialSummary[];
  listLoaded: boolean;
  filters: Filters;
  selectedId: string | null;
  detail: CredentialDetail | null;
}

export interface VaultSlice extends VaultState {
  loadList(): Promise<void>;
  setFilter<K extends keyof Filters>(key: K, value: Filters[K]): void;
  clearFilters(): void;
  select(id: string | null): void;
  reloadDetail(): Promise<void>;
  /** Another process changed the vault: reload the list and the open detail, keeping the selection if it still exists. */
  refreshAll(): Promise<void>;
  addCredential(credential: NewCredential, value: ValueSource, force?: boolean): Promise<Result<CredentialDetail>>;
  /** `password`: when main asks for it (the change takes the credential out of a custom rule's scope). */
  updateCredential(id: string, patch: CredentialPatch, password?: string): Promise<Result<CredentialDetail>>;
  rotateCredential(id: string, value: ValueSource, force?: boolean): Promise<Result<CredentialDetail>>;
  setActive(id: string, active: boolean, password?: string): Promise<Result<CredentialDetail>>;
  removeCredential(id: string): Promise<Result<{ id: string }>>;
  /** Puts back a credential deleted moments ago (main still holds it) and selects it. */
  undoRemove(id: string): Promise<Result<CredentialDetail>>;
}

export const initialVaultState: VaultState = { credentials: [], listLoaded: false, filters: emptyFilters, selectedId: null, detail: null };

// Only the newest detail request may land (fast arrow-key runs through the list).
let detailRequest = 0;
let detailTimer: ReturnType<typeof setTimeout> | null = null;
const DETAIL_DEBOUNCE_MS = 60;

export const createVaultSlice: SliceCreator<VaultSlice> = (set, get) => {
  /** Errors from background loads: a locked vault means main locked us; anything else is a toast. */
  const backgroundError = (error: ErrorInfo) => {
    if (error.code === 'VAULT_LOCKED') void get().handleLocked('user');
    else get().toastError(error);
  };

  const afterWrite = (r: Result<CredentialDetail>): Result<CredentialDetail> => {
    if (r.ok) {
      const detail = r.value;
      set((s) => ({
        credentials: upsert(s.credentials, detail),
        detail: s.selectedId === detail.id ? detail : s.detail,
      }));
    } else if (r.error.code === 'VAULT_LOCKED') void get().handleLocked('user');
    return r;
  };

  return {
    ...initialVaultState,

    loadList: async () => {
      const r = await call('credentials.list', {});
      if (!r.ok) return backgroundError(r.error);
      const credentials = sortedByName(r.value);
      set((s) => {
        const stillThere = s.selectedId !== null && credentials.some((c) => c.id === s.selectedId);
        return { credentials, listLoaded: true, ...(stillThere ? {} : { selectedId: null, detail: null }) };
      });
    },

    setFilter: (key, value) => set((s) => ({ filters: { ...s.filters, [key]: value } })),
    clearFilters: () => set({ filters: emptyFilters }),

    select: (id) => {
      if (id === get().selectedId) return;
      set({ selectedId: id, detail: null });
      if (detailTimer) clearTimeout(detailTimer);
      detailRequest++;
      if (id === null) return;
      detailTimer = setTimeout(() => void get().reloadDetail(), DETAIL_DEBOUNCE_MS);
    },

    reloadDetail: async () => {
      const id = get().selectedId;
      if (!id) return;
      const ticket = ++detailRequest;
      const r = await call('credentials.get', { id });
      if (ticket !== detailRequest || get().selectedId !== id) return;
      if (r.ok) set({ detail: r.value });
      else if (r.error.code === 'NOT_FOUND') set({ selectedId: null, detail: null });
      else backgroundError(r.error);
    },

    refreshAll: async () => {
      await get().loadList();
      if (get().selectedId) await get().reloadDetail();
    },

    addCredential: async (credential, value, force) => {
      const r = afterWrite(await call('credentials.add', { credential, value, ...(force ? { force: true } : {}) }));
      if (r.ok) set({ selectedId: r.value.id, detail: r.value });
      return r;
    },

    updateCredential: async (id, patch, password) => afterWrite(await call('credentials.update', { id, patch, ...(password ? { password } : {}) })),

    rotateCredential: async (id, value, force) => afterWrite(await call('credentials.rotate', { id, value, ...(force ? { force: true } : {}) })),

    setActive: async (id, active, password) => afterWrite(await call('credentials.setActive', { id, active, ...(password ? { password } : {}) })),

    removeCredential: async (id) => {
      const r = await call('credentials.remove', { id });
      if (r.ok) {
        set((s) => ({
          credentials: s.credentials.filter((c) => c.id !== id),
          ...(s.selectedId === id ? { selectedId: null, detail: null } : {}),
        }));
      } else if (r.error.code === 'VAULT_LOCKED') void get().handleLocked('user');
      return r;
    },

    undoRemove: async (id) => {
      const r = afterWrite(await call('credentials.undoRemove', { id }));
      if (r.ok) {
        if (detailTimer) clearTimeout(detailTimer);
        detailRequest++;
        set({ selectedId: r.value.id, detail: r.value });
      }
      return r;
    },
  };
};
