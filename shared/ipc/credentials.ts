/**
 * The credentials domain: list, show, add, edit, rotate by hand, (de)activate,
 * delete and undo, reveal one value, and copy in main (the renderer never needs
 * the value to copy it).
 */
import type { CredentialDetail, CredentialPatch, CredentialSummary, NewCredential, ValueSource } from '../domain.js';

export type CopyTarget = 'value' | { field: string };

export interface CopyResult {
  /** When the clipboard will be cleared (if it still holds the copied value). */
  clearsAt: string;
  clearAfterSeconds: number;
}

export interface CredentialsApi {
  'credentials.list': { request: Record<string, never>; response: CredentialSummary[] };
  /** Marks a credential compromised: due for rotation now, and an incident opens (told by the incidents-opened event). */
  'credentials.markCompromised': { request: { id: string }; response: CredentialDetail };
  'credentials.get': { request: { id: string }; response: CredentialDetail };
  'credentials.add': { request: { credential: NewCredential; value: ValueSource; force?: boolean }; response: CredentialDetail };
  /** `password`: when the change takes the credential out of a custom rule's scope (answered BAD_REQUEST, field "password", without it). */
  'credentials.update': { request: { id: string; patch: CredentialPatch; password?: string }; response: CredentialDetail };
  'credentials.rotate': { request: { id: string; value: ValueSource; force?: boolean }; response: CredentialDetail };
  /** `password`: asked when deactivating takes a credential out of a custom rule's rotation interval or maximum age. */
  'credentials.setActive': { request: { id: string; active: boolean; password?: string }; response: CredentialDetail };
  'credentials.remove': { request: { id: string }; response: { id: string } };
  /** Puts back a credential deleted moments ago (main keeps it, sealed as stored, while the toast offering Undo is up). */
  'credentials.undoRemove': { request: { id: string }; response: CredentialDetail };
  'credentials.reveal': { request: { id: string; version?: number }; response: { value: string } };
  'credentials.copy': { request: { id: string; target: CopyTarget }; response: CopyResult };
}

export type ClipboardEvent =
  | { type: 'clipboard-copied'; clearsAt: string }
  | { type: 'clipboard-cleared' }
  /** The clipboard no longer held what Keyward copied (the user copied something else): it was left alone. */
  | { type: 'clipboard-left-alone' };
