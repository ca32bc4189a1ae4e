/**
 * A use of an "ask me each time" grant waiting for the user, where no native
 * dialog asks (docs/grants.md): which grant, for what, which credentials, and
 * the program as it describes itself. Deny is the default; an unanswered
 * request is denied by main after two minutes, and all of them at lock.
 */
import { useEffect, useState } from 'react';
import type { GrantApproval } from '../../../../shared/ipc/contract';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { call, onEvent } from '../../lib/api';
import { useStore } from '../../store';

export function GrantApprovalDialog() {
  const toastError = useStore((s) => s.toastError);
  const [waiting, setWaiting] = useState<GrantApproval[]>([]);
  useEffect(
    () =>
      onEvent((event) => {
        if (event.type === 'grant-approval') setWaiting((w) => [...w, event.approval]);
        else if (event.type === 'grant-approval-ended') setWaiting((w) => w.filter((a) => a.id !== event.id));
        else if (event.type === 'locked') setWaiting([]);
      }),
    [],
  );
  const current = waiting[0];
  if (!current) return null;
  const answer = async (allow: boolean) => {
    setWaiting((w) => w.filter((a) => a.id !== current.id));
    const r = await call('grants.answerApproval', { id: current.id, allow });
    if (!r.ok) toastError(r.error);
  };
  const cli = current.kind === 'cli';
  return (
    <Dialog
      role="alertdialog"
      title={cli ? 'Let the command line use Keyward?' : `Allow the grant “${current.grant}”?`}
      description={
        cli
          ? `keyward get, list, show, env, inject and run in this terminal will read from this app without the master password for ${current.minutes ?? 0} minutes, or until Keyward locks.`
          : current.purpose === 'run'
            ? 'A program asks for secret values, saying it will run the command below with them. The values go to that program.'
            : current.purpose === 'rotate'
              ? 'A program asks to run the rotator of the credential below: a new value is made and stored, and the old one revoked. No value is handed to the program.'
              : current.purpose === 'change'
                ? 'A program asks to change the credential below: add it, edit it, give it a new value, or remove it.'
                : 'A program asks for secret values.'
      }
      onClose={() => void answer(false)}
      footer={
        <>
          <Button variant="secondary" data-autofocus onClick={() => void answer(false)}>
            Deny
          </Button>
          <Button variant="primary" onClick={() => void answer(true)}>
            {cli ? 'Allow' : 'Allow once'}
          </Button>
        </>
      }
    >
      <dl className="grid gap-3 text-sm">
        <div>
          <dt className="text-xs text-muted">Asked by (as it says)</dt>
          <dd className="font-mono text-xs break-all">{current.program ? `${current.program.argv.join(' ')} (process ${current.program.pid})` : 'A program that did not say'}</dd>
        </div>
        {cli ? (
          <div>
            <dt className="text-xs text-muted">Terminal (as it says)</dt>
            <dd className="font-mono text-xs break-all">{current.terminal}</dd>
          </div>
        ) : null}
        {current.command ? (
          <div>
            <dt className="text-xs text-muted">Command (as it says)</dt>
            <dd className="font-mono text-xs break-all">{current.command.join(' ')}</dd>
          </div>
        ) : null}
        <div hidden={cli}>
          <dt className="text-xs text-muted">Credentials ({current.credentials.length})</dt>
          <dd>
            <ul aria-label="Credentials asked for" className="mt-1 list-disc pl-5">
              {current.credentials.map((name) => (
                <li key={name} className="break-all">
                  {name}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
    </Dialog>
  );
}
