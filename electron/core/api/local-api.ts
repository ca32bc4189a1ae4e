/**
 * The local API's application layer (docs/local-api.md): one request from a
 * program, authenticated by a grant's token, answered with what that grant
 * allows — the same grant checks as `keyward run` and `keyward mcp`
 * (grants/grant-access.ts), plus what only the running app can give: approvals
 * for "ask" grants, and the audit trail and incidents while it is unlocked.
 * Transport-free: the app and the test harness serve it over a Unix socket
 * (app/local-api-server.ts), the same code either way.
 */
import { resolve } from 'node:path';
import { isLocalApiMethod, LOCAL_API_VERSION, type LocalApiAnswer, type LocalApiMethod } from '../../../shared/local-api.js';
import { LOCAL_API_METHODS, requestSchema } from '../../../shared/local-api.schemas.js';
import { fail, KeywardError, toErrorInfo } from '../errors.js';
import type { Approver, GrantAccess } from '../grants/grant-access.js';
import { grantAlerts, grantDue, grantHealth } from '../grants/grant-views.js';
import type { Clock } from '../ports/clock.js';
import type { CredentialPatch, ListFilter, NewCredential, ValueSource } from '../../../shared/domain.js';
import type { CliSessions } from './cli-sessions.js';
import { ApprovalThrottle } from './approval-throttle.js';
import type { UnlockedVault, VaultLifecycle } from '../service/vault-lifecycle.js';
import type { AuditActor } from '../audit/audit-sink.js';
import type { RotatorOutcome } from '../rotation/rotation-service.js';

export interface LocalApiOptions {
  /** The vault the app has chosen (it may switch files). */
  lifecycle: () => VaultLifecycle;
  /** The app's open vault, when unlocked (for the trail and incidents). */
  vault: () => UnlockedVault | null;
  clock: Clock;
  /** Asks the user about a use of an "ask" grant (a native dialog in the app). */
  approve?: Approver;
  /** The CLI through the app (cli-sessions.ts); absent: cli.* methods are refused. */
  cli?: CliSessions;
  /**
   * Runs a credential's rotator in the unlocked app, recorded under `actor`
   * (the app's rotation, with its rescued values and schedule); absent:
   * `rotate` is refused.
   */
  rotate?: (actor: AuditActor, credentialId: string) => Promise<RotatorOutcome>;
}


export class LocalApi {
  /** The approver, throttled: a program holding an "ask" grant cannot stack dialogs (api/approval-throttle.ts). */
  readonly #approve: Approver | undefined;

  constructor(private readonly options: LocalApiOptions) {
    const throttle = new ApprovalThrottle(options.clock);
    const approve = options.approve;
    this.#approve = approve ? (request) => throttle.ask(`the grant "${request.grant}"`, () => approve(request)) : undefined;
  }

  /** One request line, parsed or not, answered; never throws, never echoes a token or a value it was not asked for. */
  async handle(raw: unknown): Promise<LocalApiAnswer> {
    const id = typeof raw === 'object' && raw !== null && Number.isSafeInteger((raw as { id?: unknown }).id) ? (raw as { id: number }).id : 0;
    try {
      const request = requestSchema.safeParse(raw);
      if (!request.success) throw fail.badRequest('The request is not a Keyward local API request (v, id, token, method, params).');
      const { method, token, client } = request.data;
      if (request.data.vault !== undefined && resolve(request.data.vault) !== resolve(this.options.lifecycle().path))
        throw new KeywardError('FORBIDDEN', 'The Keyward app on this socket serves another vault than the one asked for: nothing was read. Use --vault with the file the app has open.');
      if (!isLocalApiMethod(method)) throw fail.badRequest(`There is no method "${method.slice(0, 40)}". The methods: ${Object.keys(LOCAL_API_METHODS).join(', ')}.`);
      const params = LOCAL_API_METHODS[method].safeParse(request.data.params);
      if (!params.success) throw fail.badRequest(`The parameters of ${method} are not right: ${params.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}.`);
      // Right after the app's unlock its credentials are still being decoded between requests: wait for the list, not decode the rest in one go.
      await this.options.vault()?.credentialsDecoded();
      if (method.startsWith('cli.')) return { v: LOCAL_API_VERSION, id, ok: true, result: await this.cliAnswer(method, token, params.data as Record<string, unknown>, client ?? undefined) };
      const vault = this.options.vault();
      const access = await this.options.lifecycle().openGrant(token, {
        ...(this.#approve ? { approve: this.#approve } : {}),
        // An "ask" grant's values come from the open vault, once approved.
        ...(vault && !vault.isLocked ? { valueFromVault: (grantId: string, credentialId: string) => vault.valueForGrant(grantId, credentialId) } : {}),
      });
      try {
        return { v: LOCAL_API_VERSION, id, ok: true, result: await this.answer(access, method, params.data as Record<string, unknown>, client ?? null) };
      } finally {
        access.close();
      }
    } catch (err) {
      const info = toErrorInfo(err);
      return { v: LOCAL_API_VERSION, id, ok: false, error: { code: info.code, message: info.message } };
    }
  }

  /** An admin grant's change, made by the open vault (it alone holds the key the change is sealed under). */
  private async change(access: GrantAccess, method: 'add' | 'edit' | 'set_value' | 'remove', params: Record<string, unknown>, client: { pid: number; argv: string[] } | null): Promise<unknown> {
    const name = params.name as string;
    const action = method === 'set_value' ? 'rotate' : method === 'edit' ? 'update' : method;
    // A credential whose rule says grants need approval is changed only once the user approved (as it is read).
    const ruled = method !== 'add' && access.covers(name) && access.find(name).approval;
    await access.check('admin', action, { credentials: [name], ...(ruled ? { required: true } : {}), ...(client ? { program: client } : {}) });
    const vault = this.options.vault();
    if (!vault || vault.isLocked) throw new KeywardError('VAULT_LOCKED', 'Keyward is locked: a change is sealed under the vault key, which needs the app unlocked. Unlock it and ask again.');
    const source = (): ValueSource => {
      if ((params.value === undefined) === (params.generate === undefined)) throw fail.badRequest(`${method} takes either value or generate: true.`);
      return params.generate ? { generate: true } : { value: params.value as string };
    };
    const force = params.force === true;
    switch (method) {
      case 'add': {
        const { value: _value, generate: _generate, force: _force, ...input } = params;
        return vault.changeForGrant(access.id, { kind: 'add', input: input as unknown as NewCredential, source: source(), force });
      }
      case 'edit':
        return vault.changeForGrant(access.id, { kind: 'edit', name, patch: params.patch as CredentialPatch });
      case 'set_value':
        return vault.changeForGrant(access.id, { kind: 'set_value', name, source: source(), force });
      case 'remove':
        return vault.changeForGrant(access.id, { kind: 'remove', name });
    }
  }

  /** The CLI through the app: as the user (the actor "cli"), in a terminal the user approved. */
  private async cliAnswer(method: LocalApiMethod, token: string, params: Record<string, unknown>, client: { pid: number; argv: string[] } | undefined): Promise<unknown> {
    const cli = this.options.cli;
    if (!cli) throw new KeywardError('FORBIDDEN', 'CLI integration is not offered here.');
    if (method === 'cli.open') return cli.open(params.terminal as string, client);
    cli.check(token);
    const vault = this.options.vault();
    if (!vault || vault.isLocked) throw new KeywardError('VAULT_LOCKED', 'Keyward is locked.');
    const svc = vault.serviceAs('cli');
    switch (method) {
      case 'cli.get':
        return { value: await svc.reveal(params.name as string, params.version as number | undefined, 'export') };
      case 'cli.show':
        return svc.show(params.name as string);
      case 'cli.fields':
        // Metadata handed to another process: recorded (the CLI's own file-opening path reads the same in process).
        return { fields: await svc.fieldsOf(params.names as string[]) };
      case 'cli.resolve': {
        // Each a recorded reveal, judged as written out whatever the CLI says it is for: the values leave the app for
        // another process, which only claims it will inject them (as with grants, grant-access.ts). A value "never
        // exported in plain text" is refused here; `keyward run` then opens the file and injects it itself.
        const values: string[] = [];
        for (const n of params.names as string[]) values.push(await svc.reveal(n, undefined, 'export'));
        return { values };
      }
      default:
        return svc.list(params as ListFilter);
    }
  }

  private async answer(access: GrantAccess, method: LocalApiMethod, params: Record<string, unknown>, client: { pid: number; argv: string[] } | null): Promise<unknown> {
    const now = this.options.clock.now();
    switch (method) {
      case 'whoami': {
        await access.check('metadata', 'whoami');
        return { grant: access.name, ...access.definition };
      }
      case 'list': {
        const q = typeof params.query === 'string' ? params.query.toLowerCase() : null;
        return (await access.credentials()).filter((c) => !q || [c.name, c.provider, c.description, ...c.tags].some((t) => t.toLowerCase().includes(q)));
      }
      case 'get':
        return { value: await access.value(params.name as string, 'value') };
      case 'add':
      case 'edit':
      case 'set_value':
      case 'remove':
        return this.change(access, method, params, client);
      case 'rotate': {
        const credential = access.find(params.name as string);
        const vault = this.options.vault();
        const rotate = this.options.rotate;
        // Checked (and approved, for an "ask" grant or a credential whose rule says so) before anything runs; refused
        // when the app cannot store a value.
        await access.check('rotate', 'rotate.rotator', { credentials: [credential.name], ...(credential.approval ? { required: true } : {}), ...(client ? { program: client } : {}) });
        if (!rotate) throw new KeywardError('FORBIDDEN', 'Rotators are run by the Keyward app: this server does not offer them.');
        if (!vault || vault.isLocked) throw new KeywardError('VAULT_LOCKED', 'Keyward is locked: a rotator stores its new value in the vault, which needs the app unlocked. Unlock it and ask again.');
        // Judged again on the vault as it is now: the grant's file is a copy, and the approval may have waited.
        vault.grantedCredential(access.id, 'rotate', credential.id);
        const { detail, revokeFailed } = await rotate(access.actor, credential.id);
        // What changed, never a value.
        return { name: detail.name, currentVersion: detail.currentVersion, revokeFailed };
      }
      case 'resolve': {
        const purpose = params.purpose as 'run' | 'value';
        const command = params.command as string[] | undefined;
        if (purpose === 'run') {
          if (!command?.length) throw fail.badRequest('resolve for run names the command it is for.');
          await access.checkCommand(command);
        }
        const values = await access.values(params.names as string[], purpose, { ...(command ? { command } : {}), ...(client ? { program: client } : {}) });
        return { values };
      }
      case 'health':
      case 'due':
      case 'alerts': {
        await access.check('metadata', method);
        await access.record(method);
        const credentials = access.peek();
        if (method === 'health') return grantHealth(credentials, now);
        if (method === 'due') return grantDue(credentials, now, (params.withinDays as number | undefined) ?? 30);
        return grantAlerts(credentials, access.definition, now);
      }
      case 'audit':
      case 'incidents': {
        await access.check('metadata', method === 'audit' ? 'audit.list' : 'incident.list');
        const vault = this.options.vault();
        if (!vault || vault.isLocked) throw new KeywardError('VAULT_LOCKED', 'Keyward is locked: the audit trail and incidents are read while it is unlocked. Unlock the app and ask again.');
        const inScope = new Set(access.peek().map((c) => c.name));
        const mine = (r: { actor?: string; credential?: string }) => r.actor === access.actor || (r.credential !== undefined && inScope.has(r.credential));
        await access.record(method === 'audit' ? 'audit.list' : 'incident.list');
        if (method === 'audit') {
          const limit = (params.limit as number | undefined) ?? 100;
          return (await vault.auditRecords({ limit: 5000 })).filter(mine).slice(-limit);
        }
        return (await vault.incidents()).incidents.filter(mine);
      }
    }
  }
}
