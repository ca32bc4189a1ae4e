/**
 * The local API's wire protocol (docs/local-api.md): what a program asks the
 * running app over its per-user Unix socket, one JSON object per line, each
 * authenticated by a grant's token or a CLI session. Requests are checked
 * against the schemas in local-api.schemas.ts (which only the server loads:
 * the CLI's start does not pay for zod) before anything else reads them.
 */
export const LOCAL_API_VERSION = 1;

/** The longest request line the app accepts: it reads requests from any program of the user's. */
export const MAX_LINE_BYTES = 1 << 20;

/**
 * The longest answer line a client accepts: as long as what was asked for
 * (`keyward list` of 100,000 credentials is tens of MB; one value may be
 * 1 MiB of characters, escaped), bounded only against a runaway server —
 * and below V8's longest string (2^29 − 24 characters), which the line is
 * gathered into.
 */
export const MAX_ANSWER_BYTES = 256 << 20;

/**
 * Not a method of the API but of its transport, answered before any token is
 * read: the server proves it holds the user's server key (docs/local-api.md,
 * "Who serves"). Request `{"v":1,"id":N,"method":"server.proof","params":{"challenge":"<64 hex>"}}`.
 */
export const SERVER_PROOF_METHOD = 'server.proof';

/** Every method, by name (the schemas are in local-api.schemas.ts). */
export const LOCAL_API_METHOD_NAMES = ['whoami', 'list', 'get', 'resolve', 'health', 'due', 'alerts', 'audit', 'incidents', 'rotate', 'add', 'edit', 'set_value', 'remove', 'cli.open', 'cli.get', 'cli.list', 'cli.show', 'cli.fields', 'cli.resolve'] as const;

/** What a CLI session may ask the app (the CLI through the app). */
export type CliMethod = Extract<LocalApiMethod, `cli.${string}`>;

export type LocalApiMethod = (typeof LOCAL_API_METHOD_NAMES)[number];

export type LocalApiAnswer = { v: 1; id: number; ok: true; result: unknown } | { v: 1; id: number; ok: false; error: { code: string; message: string } };

export function isLocalApiMethod(method: string): method is LocalApiMethod {
  return (LOCAL_API_METHOD_NAMES as readonly string[]).includes(method);
}
