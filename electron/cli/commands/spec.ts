/**
 * What describes a `keyward` command, once: its name, arguments, options,
 * help and handler. The help text, argument checks and dispatch are all
 * derived from these descriptions (see registry.ts, help.ts, parse.ts).
 */
import type { Core } from '../../core/composition.js';
import type { AppSession } from '../app-session.js';
import type { LocalApiClient } from '../local-api-client.js';
import type { SecretSource } from '../../core/env/resolve.js';
import type { GrantAccess } from '../../core/grants/grant-access.js';
import type { UnlockedVault, VaultLifecycle } from '../../core/service/vault-lifecycle.js';
import type { VaultService } from '../../core/service/vault-service.js';
import type { Flags, Output } from '../output.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The value's placeholder in usage lines (string options): N, T, FILE. */
  value?: string;
  /** Repeatable: every occurrence is kept, in order. */
  multiple?: boolean;
  /** A one-letter alias (-y). */
  short?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

/** What every handler gets: its arguments, its options, where to answer, and the vault it is about. */
export interface Invocation {
  args: string[];
  flags: Flags;
  o: Output;
  /** The core's application layer, opened for the CLI: every operation is recorded with the actor 'cli'. */
  core: Core;
  /** The vault file this command is about (--vault, $KEYWARD_VAULT or the default). */
  lifecycle: VaultLifecycle;
}

/** A handler that runs on an unlocked vault; it is locked again when the handler returns. */
export interface UnlockedInvocation extends Invocation {
  vault: UnlockedVault;
  /** The vault's credential service (vault.credentials). */
  svc: VaultService;
  /** A fresh unlock, for writing a rotator's rescued value when this one can no longer write. */
  reopen: () => Promise<UnlockedVault>;
}

/**
 * A handler that reads secrets by reference from the vault (its owner) or, when
 * KEYWARD_TOKEN holds a grant's token, from what that grant covers.
 */
export interface SecretsInvocation extends Invocation {
  secrets: SecretSource;
  /** The grant the token opened; null when the vault was unlocked. */
  grant: GrantAccess | null;
  /** Lets go of the vault or the grant early (before a program starts); done again, harmlessly, when the handler returns. */
  release: () => Promise<void>;
}

/** A handler that must also re-check the master password (reused from the unlock when one was typed or given). */
export interface PasswordInvocation extends UnlockedInvocation {
  masterPassword: () => Promise<string>;
}

interface CommandBase {
  name: string;
  /**
   * Positional arguments as shown in usage lines: NAME, on|off; an optional
   * one is in brackets ([FILE]) and comes last; a last one ending in "…"
   * (REF…) takes any number. Their count is checked before
   * the handler runs, so a handler may take its required arguments as given.
   */
  args: string[];
  /** The only options it accepts, besides the global ones. */
  options: OptionSpecs;
  /** What it does, beside its usage line. */
  summary: string;
  /** Its usage line after "keyward"; derived from args and options when absent. "[options]" in it lists the rest below. */
  synopsis?: string;
  /** Other ways to call it, each with what it does. */
  alsoAs?: { synopsis: string; summary: string }[];
  /** Lines under its usage: option groups, caveats. */
  notes?: string[];
  /**
   * The same command answered by the running app (the CLI through the app,
   * docs/local-api.md), used instead of opening the vault when the app
   * serves it, CLI integration is on and no password was given.
   */
  viaApp?: (call: AppInvocation) => Promise<void>;
  /**
   * The same command for a grant, when KEYWARD_TOKEN holds its token:
   * answered by the running app's local API with that token (what needs the
   * vault key, such as storing a rotator's new value, only the app can do).
   */
  byToken?: (call: TokenInvocation) => Promise<void>;
}

/** A handler answered by the running app, with this terminal's session. */
export interface AppInvocation extends Invocation {
  app: AppSession;
}

/** A handler answered by the running app for the grant whose token is in KEYWARD_TOKEN. */
export interface TokenInvocation extends Invocation {
  api: LocalApiClient;
}

/** A command, by what it needs before its handler can run. */
export type CommandSpec = CommandBase &
  (
    | { needs: 'nothing'; run(call: Invocation): Promise<void> | void }
    /** A number it resolves to is the process's exit status (keyward run: the program's own). */
    | { needs: 'vault'; run(call: UnlockedInvocation): Promise<void | number> }
    | { needs: 'password'; run(call: PasswordInvocation): Promise<void> }
    /** A number it resolves to is the process's exit status. */
    | { needs: 'secrets'; run(call: SecretsInvocation): Promise<void | number> }
  );

/** Commands that belong together, listed under one heading in the help. */
export interface CommandFamily {
  title: string;
  commands: CommandSpec[];
}
