/** The local API's request schemas (shared/local-api.ts): loaded by the server only. */
import { z } from 'zod';
import { LOCAL_API_VERSION, type LocalApiMethod } from './local-api.js';

const name = z.string().min(1).max(10_000);

export const LOCAL_API_METHODS: Record<LocalApiMethod, z.ZodType> = {
  /** The grant the token opens: name, role, scope, expiry. */
  whoami: z.object({}).strict(),
  /** Metadata of the credentials in scope. */
  list: z.object({ query: z.string().max(200).optional() }).strict(),
  /** One value (reader and up). */
  get: z.object({ name }).strict(),
  /**
   * Values for a program Keyward starts (`keyward run`: runner and up, `command`
   * checked against the grant's allowed commands) or for the caller (`value`:
   * reader and up). One approval covers them all for an "ask" grant.
   */
  resolve: z.object({ names: z.array(name).min(1).max(1000), purpose: z.enum(['run', 'value']), command: z.array(z.string().max(10_000)).max(1000).optional() }).strict(),
  health: z.object({}).strict(),
  due: z.object({ withinDays: z.number().int().min(0).max(3650).optional() }).strict(),
  alerts: z.object({}).strict(),
  /** The latest audit records by this grant or about credentials in scope (the app must be unlocked). */
  audit: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
  /** Open incidents about this grant or credentials in scope (the app must be unlocked). */
  incidents: z.object({}).strict(),
  /** Runs the rotator of a credential in scope, in the app (rotator and up; the app must be unlocked). No value is answered. */
  rotate: z.object({ name }).strict(),
  /** A new credential in scope (admin; the app must be unlocked): its value, or generate one. */
  add: z
    .object({
      name,
      type: z.string().min(1).max(40),
      provider: z.string().max(256).optional(),
      description: z.string().max(4096).optional(),
      tags: z.array(z.string().max(64)).max(64).optional(),
      fields: z.record(z.string().max(64), z.string().max(4096)).optional(),
      expiresAt: z.string().max(40).optional(),
      value: z.string().min(1).max(1024 * 1024).optional(),
      generate: z.literal(true).optional(),
      force: z.boolean().optional(),
    })
    .strict(),
  /** A credential's metadata changed (admin), staying in scope. */
  edit: z
    .object({
      name,
      patch: z
        .object({
          name: name.optional(),
          provider: z.string().max(256).optional(),
          description: z.string().max(4096).optional(),
          tags: z.array(z.string().max(64)).max(64).optional(),
          fields: z.record(z.string().max(64), z.string().max(4096)).optional(),
          expiresAt: z.string().max(40).nullable().optional(),
        })
        .strict(),
    })
    .strict(),
  /** A new current value, given or generated (admin); the old one is kept in history. */
  set_value: z.object({ name, value: z.string().min(1).max(1024 * 1024).optional(), generate: z.literal(true).optional(), force: z.boolean().optional() }).strict(),
  /** Removes a credential in scope (admin); recoverable from backups. */
  remove: z.object({ name }).strict(),
  /** The CLI through the app: a session for a terminal, after the user's approval (token: "cli"). */
  'cli.open': z.object({ terminal: z.string().min(1).max(200) }).strict(),
  /** `keyward get` through the app, with a session token. */
  'cli.get': z.object({ name, version: z.number().int().min(1).optional() }).strict(),
  /** `keyward list` through the app, with a session token. */
  'cli.list': z.object({ query: z.string().max(200).optional(), type: z.string().max(40).optional(), provider: z.string().max(256).optional(), tag: z.string().max(64).optional(), active: z.boolean().optional() }).strict(),
  /** `keyward show` and `history` through the app: a credential's metadata and versions, never a value. */
  'cli.show': z.object({ name }).strict(),
  /** The fields of each credential named (null where none is), for resolving references before any value is read. */
  'cli.fields': z.object({ names: z.array(name).min(1).max(2000) }).strict(),
  /** Values for `keyward env`/`inject` (`value`: written out) or `run` (`run`: injected into the program it starts). */
  'cli.resolve': z.object({ names: z.array(name).min(1).max(1000), purpose: z.enum(['run', 'value']) }).strict(),
};

/** Who is asking, as the client says (a claim: shown in approvals, never trusted for access). */
export const clientSchema = z.object({ pid: z.number().int().min(0), argv: z.array(z.string().max(1000)).max(50) }).strict();

export const requestSchema = z
  .object({
    v: z.literal(LOCAL_API_VERSION),
    id: z.number().int().min(0),
    token: z.string().min(1).max(200),
    method: z.string().min(1).max(40),
    params: z.record(z.string(), z.unknown()).default({}),
    client: clientSchema.optional(),
    /** The vault file the client means (its absolute path): an app serving another refuses (a socket's name is only a hash of the path). */
    vault: z.string().min(1).max(4096).optional(),
  })
  .strict();

export type LocalApiRequest = z.infer<typeof requestSchema>;
