/**
 * The one IPC contract between the renderer and the main process, assembled
 * from one module per domain (`app.ts`, `vault.ts`, `settings.ts`,
 * `credentials.ts`, `health.ts`, `rotation.ts`, `generator.ts`). Each method is
 * declared once, in its domain (request → response); main's handlers and the
 * renderer's client are both derived from `KeywardApi`, and main validates
 * every request against the schema of the same name (`schemas.ts`, assembled
 * from the `<domain>.schemas.ts` beside each domain).
 *
 * Types only (and two constants): the renderer and the preload import this
 * without pulling zod or the schemas into their bundles.
 *
 * Transport-neutral: the Electron preload and the test harness bridge carry
 * exactly these calls and events.
 */
import type { Result } from '../errors.js';
import type { AppApi } from './app.js';
import type { AuditApi, AuditTrailEvent } from './audit.js';
import type { IncidentEvent, IncidentsApi } from './incidents.js';
import type { ReportApi } from './report.js';
import type { PolicyApi } from './policy.js';
import type { GrantApprovalEvent, GrantsApi } from './grants.js';
import type { ClipboardEvent, CredentialsApi } from './credentials.js';
import type { GeneratorApi } from './generator.js';
import type { HealthApi } from './health.js';
import type { RotationApi, RotationEvent } from './rotation.js';
import type { SettingsApi } from './settings.js';
import type { VaultApi, VaultEvent } from './vault.js';

export type { AppApi, AppPhase, AppState, LockReason } from './app.js';
export type { AuditApi, AuditQuery, AuditRecordView, AuditReport, AuditTrailEvent, ForwardingStatus, UsageView } from './audit.js';
export type { DetectionRulesView, IncidentEvent, IncidentsApi, IncidentsView } from './incidents.js';
export type { ReportApi } from './report.js';
export type { PolicyApi } from './policy.js';
export type { GrantApproval, GrantApprovalEvent, GrantsApi } from './grants.js';
export type { ClipboardEvent, CopyResult, CopyTarget, CredentialsApi } from './credentials.js';
export type { GeneratorApi } from './generator.js';
export type { HealthApi } from './health.js';
export type { PolicyScopeRequest, RotationApi, RotationEvent, RotationSchedule, RotationStatus, RotationTimeline, RotationTimelineRequest, RotatorDryRun } from './rotation.js';
export type { AppSettings, SettingsApi } from './settings.js';
export type { BackupPreview, VaultApi, VaultEvent } from './vault.js';

/** Every method of every domain. An interface, so two domains declaring one method differently fail to compile. */
export interface KeywardApi extends AppApi, VaultApi, SettingsApi, CredentialsApi, HealthApi, RotationApi, GeneratorApi, AuditApi, IncidentsApi, ReportApi, PolicyApi, GrantsApi {}

export type Method = keyof KeywardApi;
export type Request<M extends Method> = KeywardApi[M]['request'];
export type Response<M extends Method> = KeywardApi[M]['response'];

/** Events main sends to the renderer. */
export type KeywardEvent = VaultEvent | ClipboardEvent | RotationEvent | IncidentEvent | AuditTrailEvent | GrantApprovalEvent;

/** The API as the renderer sees it: every call answers a Result, never throws for an expected error. */
export interface KeywardClient {
  call<M extends Method>(method: M, request: Request<M>): Promise<Result<Response<M>>>;
  onEvent(listener: (event: KeywardEvent) => void): () => void;
}

/** The name under which the preload (or the harness bridge) exposes the client on `window`. */
export const CLIENT_GLOBAL = 'keyward';

/** The only IPC channels Keyward uses: one for calls, one for events. */
export const IPC_CHANNELS = { call: 'keyward:call', event: 'keyward:event' } as const;
