/**
 * The local API's wire protocol (docs/local-api.md): what a program asks the
 * running app over its per-user Unix socket, one JSON object per line, each
 * authenticated by a grant's token or a CLI session. Requests are checked
 * against the schemas in local-api.schemas.ts (which only the server loads:
 * the CLI's start does not pay for zod) before anything else reads them.
 */
export const LOCAL_API_VERSION = 1;

/** The longest line either side accepts (a request, or an answer with values). */
export const MAX_LINE_BYTES = 1 << 20;

/** Every method, by name (the schemas are in local-api.schemas.ts). */
export const LOCAL_API_METHOD_NAMES = ['whoami', 'list', 'get', 'resolve', 'health', 'due', 'alerts', 'audit', 'incidents', 'rotate', 'cli.open', 'cli.get', 'cli.list'] as const;

export type LocalApiMethod = (typeof LOCAL_API_METHOD_NAMES)[number];

export type LocalApiAnswer = { v: 1; id: number; ok: true; result: unknown } | { v: 1; id: number; ok: false; error: { code: string; message: string } };

export function isLocalApiMethod(method: string): method is LocalApiMethod {
  return (LOCAL_API_METHOD_NAMES as readonly string[]).includes(method);
}
