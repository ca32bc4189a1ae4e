/** `keyward rotate NAME --run-rotator`: runs the rotator, and writes what it rescued before the process exits. */
import type { ErrorCode } from '../../../shared/errors.js';
import { fail, KeywardError } from '../../core/errors.js';
import { quoteForShell } from '../../core/rotation/program-path.js';
import { RescuedValues } from '../../core/rotation/rescued-values.js';
import type { FlushReport } from '../../core/rotation/rotation-service.js';
import type { UnlockedVault } from '../../core/service/vault-lifecycle.js';
import { emit, type Output } from '../output.js';
import { safeText } from '../terminal.js';

/**
 * `rotate NAME --run-rotator`. A value the rotator minted but the vault could
 * not take (busy, or the vault key changed under us) is held in memory; this
 * process is about to exit, so it is written now: retried while the vault is
 * busy, through a fresh unlock (`reopen`) when the session no longer opens it.
 */
export async function runRotatorCommand(vault: UnlockedVault, name: string, o: Output, reopen?: () => Promise<UnlockedVault>): Promise<void> {
  const rescued = new RescuedValues();
  const rotation = vault.rotation({ rescued });
  let outcome;
  try {
    outcome = await rotation.runRotator(name);
  } catch (err) {
    if (rescued.size === 0) throw err;
    throw (await writeRescued(vault, rescued, reopen)) ?? err;
  }
  // Only a run record can be held after a successful run (its final write failed): write it too.
  if (rescued.size) await writeRescued(vault, rescued, reopen);
  if (outcome.revokeFailed) o.err('keyward: warning: the new value is current, but revoking the old one failed (recorded); revoke it at the provider.');
  emit(o, { ...outcome.detail, revokeFailed: outcome.revokeFailed }, () => `Rotated "${safeText(outcome.detail.name)}" with its rotator: version ${outcome.detail.currentVersion} is now current.`);
}

const RESCUE_PATIENCE_MS = 30_000;
const RETRYABLE: ErrorCode[] = ['BUSY', 'VAULT_LOCKED', 'INTERNAL'];

/** Writes what `rescued` holds before the CLI exits; when a value was held, returns the error that says what became of it. */
async function writeRescued(opened: UnlockedVault, rescued: RescuedValues, reopen: (() => Promise<UnlockedVault>) | undefined): Promise<KeywardError | null> {
  const held = rescued.list();
  const withValue = held.find((h) => h.hasValue);
  let vault = opened;
  let reopened: UnlockedVault | null = null;
  const written: FlushReport['written'] = [];
  const deadline = Date.now() + RESCUE_PATIENCE_MS;
  try {
    for (;;) {
      let error: ErrorCode | undefined;
      try {
        if (vault.isLocked) throw fail.locked();
        const report = await vault.rotation({ rescued }).flushRescued();
        written.push(...report.written);
        error = report.left ? report.error : undefined;
      } catch (err) {
        error = err instanceof KeywardError ? err.code : 'INTERNAL';
      }
      if (!error || !RETRYABLE.includes(error) || Date.now() >= deadline) break;
      if (error === 'VAULT_LOCKED') {
        // This session cannot write any more (locked, or the vault key changed): only a fresh unlock can.
        if (!reopen || reopened) break;
        reopened = await reopen().catch(() => null);
        if (!reopened) break;
        vault = reopened;
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    await reopened?.lock('command-end');
  }
  if (!withValue) {
    rescued.clear();
    return null;
  }
  const kept = written.find((w) => w.hadValue && w.version !== undefined);
  const cause = withValue.run.message?.replace(/^The new value could not be stored: /, '').replace(/\.$/, '') ?? withValue.reason;
  rescued.clear();
  if (kept) {
    const n = quoteForShell(kept.name.slice(0, 80), 'linux');
    return new KeywardError(
      'ROTATION_FAILED',
      `Rotation failed at the set step: the new value could not be stored at first (${cause}); it was then kept as version ${kept.version} of "${kept.name.slice(0, 80)}", not current. ` +
        `Read it with "keyward get ${n} --version ${kept.version}"; make it current with "keyward promote ${n} --version ${kept.version}" (with --force if it breaks the policy). The current value is unchanged.`,
      { step: 'set' },
    );
  }
  return new KeywardError(
    'ROTATION_FAILED',
    `Rotation failed at the set step: the new value could not be stored (${cause}) and was lost when keyward stopped; the provider may already have it, so check there. The current value is unchanged.`,
    { step: 'set' },
  );
}
