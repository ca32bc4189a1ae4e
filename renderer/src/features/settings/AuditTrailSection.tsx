/**
 * Settings ▸ Audit trail: how long sealed segments of the trail are kept
 * (docs/audit-format.md §11), and the syslog receiver the app forwards the
 * trail to while the vault is open (docs/siem.md), with how that is going.
 * Keeping the trail for less time, or sending it somewhere new, asks for the
 * master password (main decides, and says why).
 */
import { useEffect, useImperativeHandle, useState, type Ref } from 'react';
import type { ForwardingStatus } from '../../../../shared/ipc/contract';
import { Button } from '../../components/Button';
import { CheckboxField, PasswordField, SelectField, TextField } from '../../components/Field';
import { Check } from '../../components/icons';
import { call } from '../../lib/api';
import { useStore } from '../../store';
import { PendingNote, type PendingChanges } from './pending-changes';

type Errors = { retention?: string; syslog?: string; password?: string };

/** The forwarding status in words. */
export function forwardingText(status: ForwardingStatus | null): string {
  if (!status || status.state === 'off' || !status.destination) return 'Not forwarding.';
  const last = status.lastSeq !== null && status.lastSeq >= 0 ? ` The receiver has every record up to ${status.lastSeq}.` : '';
  const notice = status.notice ? ` ${status.notice}` : '';
  if (status.state === 'failing') return `Forwarding to ${status.destination} is failing: ${status.error ?? 'no reason given.'}${last}${notice}`;
  return `Forwarding to ${status.destination}: ${status.sent} record${status.sent === 1 ? '' : 's'} sent since unlocking.${last}${notice}`;
}

export function AuditTrailSection({ ref, pending, onSaved }: { ref?: Ref<PendingChanges>; pending: boolean; onSaved: () => void }) {
  const appState = useStore((s) => s.appState);
  const setAppState = useStore((s) => s.setAppState);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const settings = appState?.settings;
  const saved = {
    retention: String(settings?.auditRetentionDays ?? 365),
    forward: settings?.auditForward != null,
    syslog: settings?.auditForward?.syslog ?? '',
    protocol: settings?.auditForward?.protocol ?? 'tcp',
    withNames: settings?.auditForward?.withNames ?? false,
    failClosed: settings?.auditFailClosed ?? true,
  };
  const [retention, setRetention] = useState(saved.retention);
  const [forward, setForward] = useState(saved.forward);
  const [syslog, setSyslog] = useState(saved.syslog);
  const [protocol, setProtocol] = useState<'tcp' | 'udp'>(saved.protocol);
  const [withNames, setWithNames] = useState(saved.withNames);
  const [failClosed, setFailClosed] = useState(saved.failClosed);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [confirmPassword, setConfirmPassword] = useState<string | null>(null);
  const [status, setStatus] = useState<ForwardingStatus | null>(null);

  const refreshStatus = async () => {
    const r = await call('audit.forwarding', {});
    if (r.ok) setStatus(r.value);
  };
  useEffect(() => {
    void refreshStatus();
  }, []);

  const save = async (): Promise<boolean> => {
    const days = Number(retention);
    const next: Errors = {};
    if (!Number.isInteger(days) || !(days === 0 || (days >= 30 && days <= 3650))) next.retention = 'Enter 0 (keep for ever) or whole days from 30 to 3650.';
    if (forward && !/^(\[[^\]]+\]|[^:[\]\s]+):\d{1,5}$/.test(syslog.trim())) next.syslog = 'Enter the receiver as HOST:PORT, e.g. siem.example.com:6514 or 127.0.0.1:514.';
    if (confirmPassword === '') next.password = 'Enter your master password to confirm.';
    setErrors(next);
    if (next.retention || next.syslog || next.password) return false;
    setBusy(true);
    const r = await call('settings.update', {
      auditRetentionDays: days,
      auditForward: forward ? { syslog: syslog.trim(), protocol, withNames } : null,
      auditFailClosed: failClosed,
      ...(confirmPassword ? { password: confirmPassword } : {}),
    });
    setBusy(false);
    if (!r.ok) {
      const f = r.error.field ?? '';
      if (f.includes('Retention')) setErrors({ retention: r.error.message });
      else if (f === 'syslog') setErrors({ syslog: r.error.message });
      else if (f === 'password' || r.error.code === 'AUTH_FAILED' || r.error.code === 'LOCKED_OUT') {
        setConfirmPassword((p) => p ?? '');
        setErrors({ password: r.error.message });
      } else toastError(r.error);
      return false;
    }
    setConfirmPassword(null);
    onSaved();
    if (appState) setAppState({ ...appState, settings: r.value });
    toast('success', 'Audit trail settings saved.');
    setTimeout(() => void refreshStatus(), 1000);
    return true;
  };

  const dirty =
    retention !== saved.retention ||
    failClosed !== saved.failClosed ||
    forward !== saved.forward || (forward && (syslog !== saved.syslog || protocol !== saved.protocol || withNames !== saved.withNames));
  useImperativeHandle(ref, () => ({
    dirty: () => dirty,
    save,
    discard: () => {
      setRetention(saved.retention);
      setForward(saved.forward);
      setSyslog(saved.syslog);
      setProtocol(saved.protocol);
      setWithNames(saved.withNames);
      setFailClosed(saved.failClosed);
      setConfirmPassword(null);
      setErrors({});
    },
  }));

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <TextField
        label="Keep sealed parts of the trail for (days)"
        type="number"
        inputMode="numeric"
        min={0}
        max={3650}
        value={retention}
        error={errors.retention}
        hint="0 keeps everything. Older parts are dropped whole, and each drop is itself recorded. PCI DSS asks for a year."
        onChange={(e) => setRetention(e.target.value)}
      />
      <div className="mt-4">
        <CheckboxField
          label="Refuse anything that cannot be recorded"
          checked={failClosed}
          note="When the trail cannot be written (a full disk, a permission), Keyward stops rather than go on unrecorded. Off, it goes on, tells you each time, and the trail later says how many went unrecorded."
          onChange={(e) => setFailClosed(e.target.checked)}
        />
      </div>
      <div className="mt-4">
        <CheckboxField
          label="Forward the trail to a syslog receiver while the vault is open"
          checked={forward}
          note="RFC 5424 messages, one per record, never a value; what was sent is remembered, so nothing goes twice."
          onChange={(e) => setForward(e.target.checked)}
        />
      </div>
      {forward ? (
        <div className="mt-3 grid grid-cols-[1fr_auto] gap-4">
          <TextField label="Receiver (HOST:PORT)" value={syslog} error={errors.syslog} spellCheck={false} autoComplete="off" onChange={(e) => setSyslog(e.target.value)} />
          <SelectField label="Transport" value={protocol} onChange={(e) => setProtocol(e.target.value === 'udp' ? 'udp' : 'tcp')}>
            <option value="tcp">TCP</option>
            <option value="udp">UDP</option>
          </SelectField>
          <div className="col-span-2">
            <CheckboxField label="Include credential names" checked={withNames} note="Otherwise each credential is a keyed id the receiver cannot read." onChange={(e) => setWithNames(e.target.checked)} />
          </div>
        </div>
      ) : null}
      <p role="status" className="mt-3 text-xs text-muted">
        {forwardingText(status)}
      </p>
      <p className="mt-1 text-xs text-muted">Keeping the trail for less time, letting Keyward go on unrecorded, or sending the trail somewhere new or with names, asks for your master password.</p>
      {pending && dirty ? <PendingNote>Your audit trail changes are not saved yet. Save them below, or discard them to leave.</PendingNote> : null}
      {confirmPassword !== null ? (
        <PasswordField
          containerClassName="mt-3"
          label="Master password, to confirm the audit trail settings"
          autoComplete="current-password"
          autoFocus
          value={confirmPassword}
          error={errors.password}
          onChange={(e) => setConfirmPassword(e.target.value)}
        />
      ) : null}
      <div className="mt-3 flex justify-end">
        <Button type="submit" size="sm" variant={dirty ? 'primary' : 'secondary'} icon={Check} busy={busy}>
          {confirmPassword !== null ? 'Confirm and save' : 'Save audit trail settings'}
        </Button>
      </div>
    </form>
  );
}
