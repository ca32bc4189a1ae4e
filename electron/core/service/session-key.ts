/**
 * The key under which a VaultService holds its session. Only the core's own
 * services (rotation, health, undo) use it; the lint zones forbid importing
 * this module outside electron/core, so code outside the core cannot reach a
 * session — nor decrypt a value without the audited reveal — through a service.
 */
export const SESSION: unique symbol = Symbol('VaultService.session');
