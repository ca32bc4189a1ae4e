/**
 * Building blocks of the request schemas that several domains share, and the
 * mapped type that makes each domain's schema table complete. Limits here are
 * generous bounds on size; the core applies the precise rules.
 */
import { z } from 'zod';
import { CREDENTIAL_TYPE_IDS, type CredentialTypeId } from '../credential-types/index.js';
import { LIMITS } from '../domain.js';

/** One schema per method of `Api`, validating exactly that method's request. */
export type SchemasOf<Api> = { [M in keyof Api]: z.ZodType<Api[M] extends { request: infer R } ? R : never> };

export const empty = z.object({}).strict();
export const id = z.string().min(1).max(64);
export const text = (max: number) => z.string().max(max);
export const password = z.string().min(1).max(4096);
/** A date and time as Date.parse reads it (ISO 8601, the extended years past 9999 included). */
export const isoTime = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'a date and time (ISO 8601)');
export const MAX_VALUE_CHARS = 1024 * 1024;
export const tags = z.array(text(LIMITS.tagLength)).max(LIMITS.tagCount);
export const credentialTypeId = z.enum(CREDENTIAL_TYPE_IDS as unknown as [CredentialTypeId, ...CredentialTypeId[]]);
