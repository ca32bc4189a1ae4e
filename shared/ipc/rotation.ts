/**
 * The rotation domain: the schedule and its policies, reminders (snooze, mark
 * rotated at the provider), rollback, and command rotators.
 */
import type { CredentialDetail } from '../domain.js';
import type { DueItem, RotationOverride, RotationPolicySettings, TimelineGroup, TimelineKept, TimelinePage } from '../rotation.js';

export interface RotationSchedule {
  items: DueItem[];
  policy: RotationPolicySettings;
  vaultKeyDueAt: string | null;
  /** How many credentials have a reminder showing (due soon or overdue, not snoozed). */
  reminders: number;
}

/** The Rotation screen: each group's count and first items (soonest first), beside what `RotationSchedule` has besides its items. */
export interface RotationTimeline {
  groups: Record<TimelineGroup, TimelinePage>;
  policy: RotationPolicySettings;
  vaultKeyDueAt: string | null;
  reminders: number;
}

export interface RotationTimelineRequest {
  /** How many items of each group to send (default 50 each). */
  limits?: Partial<Record<TimelineGroup, number>>;
  /** Cards to keep in the group and at the due date they showed. */
  keep?: TimelineKept[];
}

/** What the app shows outside the Rotation screen: the reminder badge and the vault key's due date (null: its schedule is off). */
export interface RotationStatus {
  reminders: number;
  vaultKeyDueAt: string | null;
}

export type PolicyScopeRequest = { credentialId: string } | { type: string } | { provider: string } | { defaults: true };

export interface RotatorDryRun {
  commands: Array<{ step: 'create' | 'test' | 'revoke'; command: string; found: boolean }>;
  testOfCurrent: { passed: boolean; exitCode: number | null; timedOut: boolean } | null;
}

export interface RotationApi {
  /** Everything active with its due date (soonest first), the vault key's due date, and how many reminders are showing. */
  'rotation.schedule': { request: Record<string, never>; response: RotationSchedule };
  /**
   * The Rotation screen, a page per group: at 100k the whole schedule
   * (`rotation.schedule`) is 35 MB to send, these pages a few kB.
   */
  'rotation.timeline': { request: RotationTimelineRequest; response: RotationTimeline };
  /** How many reminders show and when the vault key is due: a count, not the schedule (at 100k, 35 MB to send). */
  'rotation.status': { request: Record<string, never>; response: RotationStatus };
  /** One credential's due state, for its detail; null while it is deactivated (never due then). */
  'rotation.due': { request: { id: string }; response: DueItem | null };
  'rotation.setPolicy': { request: { scope: PolicyScopeRequest; override: RotationOverride }; response: RotationPolicySettings };
  'rotation.snooze': { request: { id: string; days: number }; response: CredentialDetail };
  'rotation.markRotated': { request: { id: string }; response: CredentialDetail };
  /** Takes back the latest "rotated at the provider" of this credential, if nothing changed it since. */
  'rotation.undoMarkRotated': { request: { id: string }; response: CredentialDetail };
  'rotation.rollback': { request: { id: string }; response: CredentialDetail };
  /**
   * Configuring a command rotator lets it run programs as the user, so it needs
   * the master password again (a script injected into the page cannot know it)
   * and, in the desktop app, a native confirmation dialog.
   */
  'rotation.setRotator': {
    request: { id: string; create: string; test?: string; revoke?: string; timeoutSeconds?: number; password: string };
    response: CredentialDetail;
  };
  'rotation.clearRotator': { request: { id: string }; response: CredentialDetail };
  'rotation.dryRun': { request: { id: string }; response: RotatorDryRun };
  'rotation.runRotator': { request: { id: string }; response: { detail: CredentialDetail; revokeFailed: boolean } };
}

export type RotationEvent =
  | { type: 'reminder-due'; count: number }
  /** Values rotators minted while the vault was locked were written at unlock (names only). */
  | { type: 'rotation-rescued'; names: string[]; left: number };
