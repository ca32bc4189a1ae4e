/**
 * A grant's file, `P.grants/<grant id>` (docs/vault-format.md, "Grants"):
 * what one grant covers, sealed under that grant's key alone, so that its
 * token opens exactly that and never the vault. It holds G wrapped under the
 * token's key, a manifest (the grant as the vault defines it, the vault
 * generation it reflects and the hash of every entry) and one sealed entry per
 * credential in scope: its metadata and, for roles that may run or read, its
 * current value. Only writers holding the vault key write it (grant-sync.ts);
 * a token holder only reads it.
 */
import type { RotationRules } from '../../../shared/rotation.js';
import { sha256 } from '../crypto/primitives.js';
import { KeywardError } from '../errors.js';
import type { GrantDefinition } from '../vault/body.js';
import { grantAad, grantSubkeys, openPart, wrapKeyFromSecret, type GrantSubkeys, type ParsedToken } from './grant-crypto.js';

export const GRANT_FILE_FORMAT = 1;

/** One credential as a grant sees it. */
export interface GrantEntry {
  id: string;
  name: string;
  type: string;
  provider: string;
  description: string;
  tags: string[];
  fields: Record<string, string>;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  lastRotatedAt: string | null;
  expiresAt: string | null;
  version: number;
  /** The rules its rotation is due by, and what else moves its due date. */
  rotation: { rules: RotationRules; compromisedAt?: string; snoozedUntil?: string };
  /** 0–4, when the current value's strength was estimated. */
  strength?: number;
  /** The current value: only in the files of roles that may run or read, unless a rule or `ask` keeps it out. */
  value?: string;
  /** A custom rule makes every use of it need the user's approval (grants_need_approval): the name of the rule. */
  approval?: string;
  /** A custom rule forbids handing it out as plain text (no_plaintext_export): the name of the rule. */
  noExport?: string;
}

export interface GrantManifest {
  id: string;
  grant: GrantDefinition;
  /** The vault generation this file was written at. */
  generation: number;
  writtenAt: string;
  /** What the entries were computed from besides the credentials (the definition, the rotation policy): a change rewrites every entry. */
  basis: string;
  /** Each entry's SHA-256 (of its base64 text), by credential id: entries cannot be dropped, added or swapped in from another copy. */
  entries: Record<string, string>;
}

export interface GrantFile {
  'keyward-grant': number;
  vault: string;
  grant: string;
  wrap: string;
  manifest: string;
  entries: Record<string, string>;
}

export function entryDigest(sealed: string): string {
  return sha256(Buffer.from(sealed, 'utf8')).toString('hex');
}

export function parseGrantFile(bytes: Buffer): GrantFile | null {
  try {
    const f = JSON.parse(bytes.toString('utf8')) as GrantFile;
    if (f['keyward-grant'] !== GRANT_FILE_FORMAT || typeof f.vault !== 'string' || typeof f.grant !== 'string' || typeof f.wrap !== 'string' || typeof f.manifest !== 'string') return null;
    if (typeof f.entries !== 'object' || f.entries === null || Array.isArray(f.entries)) return null;
    return f;
  } catch {
    return null;
  }
}

/** A grant file opened with G: the manifest, and every entry checked against it. */
export interface OpenedGrantFile {
  vaultId: string;
  manifest: GrantManifest;
  entries: GrantEntry[];
}

const damaged = (what: string) => new KeywardError('CORRUPTED', `This grant's file is damaged or was changed (${what}). Ask the vault's owner to revoke the grant and make a new one.`);

/** The manifest, authenticated under G, with every entry's bytes checked against it (nothing decrypted but the manifest). Throws CORRUPTED. */
export function openGrantManifest(file: GrantFile, grantKey: Buffer): GrantManifest {
  const keys = grantSubkeys(grantKey, file.grant);
  try {
    return checkedManifest(file, keys.contents);
  } finally {
    wipeSubkeys(keys);
  }
}

/** Opens a file with G (the vault's writers, and token holders once G is unwrapped). Throws CORRUPTED for anything that does not authenticate. */
export function openGrantFileWithKey(file: GrantFile, grantKey: Buffer): OpenedGrantFile {
  const keys = grantSubkeys(grantKey, file.grant);
  try {
    const manifest = checkedManifest(file, keys.contents);
    const entries = Object.keys(manifest.entries).map((id) => {
      const bytes = openPart(keys.contents, file.entries[id]!, grantAad('entry', file.vault, file.grant, id));
      if (!bytes) throw damaged('an entry does not authenticate');
      try {
        return JSON.parse(bytes.toString('utf8')) as GrantEntry;
      } finally {
        bytes.fill(0);
      }
    });
    return { vaultId: file.vault, manifest, entries };
  } finally {
    wipeSubkeys(keys);
  }
}

function checkedManifest(file: GrantFile, contentsKey: Buffer): GrantManifest {
  const manifestBytes = openPart(contentsKey, file.manifest, grantAad('manifest', file.vault, file.grant));
  if (!manifestBytes) throw damaged('its manifest does not authenticate');
  let manifest: GrantManifest;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as GrantManifest;
  } catch {
    throw damaged('its manifest is not JSON');
  }
  if (manifest.id !== file.grant) throw damaged('its manifest is another grant’s');
  const ids = Object.keys(manifest.entries);
  if (ids.length !== Object.keys(file.entries).length) throw damaged('entries were added or removed');
  for (const id of ids) {
    const sealed = file.entries[id];
    if (typeof sealed !== 'string' || entryDigest(sealed) !== manifest.entries[id]) throw damaged('an entry is not the one its manifest names');
  }
  return manifest;
}

export function wipeSubkeys(keys: GrantSubkeys): void {
  keys.contents.fill(0);
  keys.tokenHash.fill(0);
  keys.uses.fill(0);
}

/** G, from the token's secret: null when the token is not this grant's (a wrong or revoked token). */
export function unwrapGrantKey(file: GrantFile, token: ParsedToken): Buffer | null {
  if (file.grant !== token.grantId) return null;
  const wrapKey = wrapKeyFromSecret(token.secret, token.grantId);
  try {
    return openPart(wrapKey, file.wrap, grantAad('wrap', file.vault, file.grant));
  } finally {
    wrapKey.fill(0);
  }
}
