/**
 * Rotation: what is overdue, due soon, snoozed and upcoming, as a timeline
 * from 'rotation.schedule'; rotate, snooze and "rotated at the provider" on
 * each item; and, beside it, the policies (defaults, per type, per provider)
 * or one credential's policy, rotator and runs.
 */
import { useEffect, useState } from 'react';
import type { DueItem, DueStatus } from '../../../../shared/rotation';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { AlarmClock, CalendarCheck, ChevronRight, LoaderCircle, RotateCw, ShieldCheck, TypeIcon } from '../../components/icons';
import { call } from '../../lib/api';
import { formatDate, plural, typeLabel } from '../../lib/format';
import type { CredentialTypeId } from '../../../../shared/credential-types/index';
import { useStore } from '../../store';
import { CredentialRotationPanel } from './CredentialRotationPanel';
import { dueIn, reasonLabel } from './due-format';
import { PolicyPanel } from './PolicyPanel';

type Group = DueStatus | 'snoozed';
const GROUPS: { key: Group; title: string; tone: string }[] = [
  { key: 'overdue', title: 'Overdue', tone: 'bg-danger' },
  { key: 'due_soon', title: 'Due soon', tone: 'bg-warn-text' },
  { key: 'snoozed', title: 'Snoozed', tone: 'bg-faint' },
  { key: 'upcoming', title: 'Upcoming', tone: 'bg-accent' },
];

const groupOf = (item: DueItem): Group => (item.snoozedUntil && item.status !== 'upcoming' ? 'snoozed' : item.status);

export function RotationScreen() {
  const schedule = useStore((s) => s.schedule);
  const loadSchedule = useStore((s) => s.loadSchedule);
  const [selected, setSelected] = useState<string | null>(null);

  // Always fresh on arrival: due dates move with the clock.
  useEffect(() => {
    void loadSchedule();
  }, [loadSchedule]);

  if (!schedule)
    return (
      <div className="flex h-full items-center justify-center" aria-busy="true">
        <LoaderCircle size={22} className="animate-spin text-faint" aria-label="Loading the schedule" />
      </div>
    );

  const selectedItem = selected ? schedule.items.find((i) => i.id === selected) ?? null : null;
  return (
    <div className="mx-auto flex max-w-6xl gap-6 px-8 py-7 max-lg:flex-col">
      <div className="min-w-0 flex-1">
        <h1 className="text-xl font-semibold">Rotation</h1>
        <p className="mt-1 text-sm text-muted">
          {schedule.reminders > 0 ? `${plural(schedule.reminders, 'credential')} due now or soon.` : 'Nothing needs rotating right now.'}
          {schedule.vaultKeyDueAt ? ` The vault key is due for rotation ${formatDate(schedule.vaultKeyDueAt)} (Settings → Rotate vault key).` : ''}
        </p>
        {schedule.items.length === 0 ? (
          <div className="mt-5 flex flex-col items-center rounded-xl border border-dashed border-line-strong bg-surface px-6 py-10 text-center">
            <ShieldCheck size={32} className="text-ok-text" aria-hidden="true" />
            <p className="mt-3 font-medium">No active credentials to rotate</p>
          </div>
        ) : (
          GROUPS.map((g) => {
            const items = schedule.items.filter((i) => groupOf(i) === g.key);
            return (
              <section key={g.key} aria-label={g.title} className="mt-6">
                <h2 className="flex items-center gap-2 text-sm font-semibold">
                  <span className={`h-2.5 w-2.5 rounded-full ${g.tone}`} aria-hidden="true" />
                  {g.title}
                  <span className="font-normal text-muted">({items.length})</span>
                </h2>
                {items.length === 0 ? (
                  <p className="mt-2 pl-[18px] text-xs text-faint">None.</p>
                ) : (
                  <ol className="relative mt-2 ml-[4px] space-y-2 border-l border-line pl-4">
                    {items.map((item) => (
                      <TimelineItem key={item.id} item={item} dot={g.tone} selected={selected === item.id} onManage={() => setSelected(item.id)} />
                    ))}
                  </ol>
                )}
              </section>
            );
          })
        )}
      </div>
      <aside aria-label={selectedItem ? `Rotation settings for ${selectedItem.name}` : 'Rotation policies'} className="w-[420px] shrink-0 self-start max-lg:w-full lg:sticky lg:top-4 lg:max-h-[calc(100vh-8rem)] lg:overflow-y-auto lg:pb-2">
        {selectedItem ? <CredentialRotationPanel key={selectedItem.id} item={selectedItem} onBack={() => setSelected(null)} /> : <PolicyPanel />}
      </aside>
    </div>
  );
}

function TimelineItem({ item, dot, selected, onManage }: { item: DueItem; dot: string; selected: boolean; onManage: () => void }) {
  const openDialog = useStore((s) => s.openDialog);
  const applyDetail = useStore((s) => s.applyDetail);
  const toast = useStore((s) => s.toast);
  const toastError = useStore((s) => s.toastError);
  const [busy, setBusy] = useState<string | null>(null);

  const snooze = async (days: number) => {
    setBusy(`snooze-${days}`);
    const r = applyDetail(await call('rotation.snooze', { id: item.id, days }));
    setBusy(null);
    if (r.ok) toast('success', `Snoozed “${item.name}” for ${plural(days, 'day')}.`);
    else toastError(r.error);
  };
  const markRotated = async () => {
    setBusy('mark');
    const r = applyDetail(await call('rotation.markRotated', { id: item.id }));
    setBusy(null);
    if (r.ok) toast('success', `Marked “${item.name}” as rotated at the provider.`);
    else toastError(r.error);
  };

  return (
    <li aria-label={item.name} className={`relative rounded-xl border bg-surface px-4 py-3 shadow-xs ${selected ? 'border-accent' : 'border-line'}`}>
      <span className={`absolute top-4 -left-[21.5px] h-2.5 w-2.5 rounded-full ring-4 ring-canvas ${dot}`} aria-hidden="true" />
      <div className="flex items-start gap-3">
        <TypeIcon type={item.type as CredentialTypeId} size={16} className="mt-0.5 shrink-0 text-muted" />
        <div className="min-w-0 flex-1">
          <div className="flex items-center gap-2">
            <h3 className="truncate font-medium" title={item.name}>
              {item.name}
            </h3>
            {item.hasRotator ? <Badge tone="accent">Rotator</Badge> : null}
          </div>
          <p className="mt-0.5 text-xs text-muted">
            <time dateTime={item.dueAt} className="font-medium text-fg" data-testid="due-date">
              {formatDate(item.dueAt)}
            </time>{' '}
            · {dueIn(item.dueAt)} · {reasonLabel(item)}
          </p>
          <p className="mt-0.5 text-xs text-faint">
            {[typeLabel(item.type as CredentialTypeId), item.provider, item.lastRotatedAt ? `last rotated ${formatDate(item.lastRotatedAt)}` : null].filter(Boolean).join(' · ')}
            {item.snoozedUntil ? ` · snoozed until ${formatDate(item.snoozedUntil)}` : ''}
          </p>
        </div>
      </div>
      <div className="mt-2.5 flex flex-wrap items-center gap-1.5">
        <Button size="sm" icon={RotateCw} onClick={() => openDialog({ kind: 'rotate', id: item.id })}>
          Rotate
        </Button>
        <div role="group" aria-label={`Snooze ${item.name}`} className="inline-flex items-center rounded-lg border border-line-strong">
          <span className="flex items-center gap-1 px-2 text-[13px] text-muted">
            <AlarmClock size={14} aria-hidden="true" />
            Snooze
          </span>
          {[1, 3, 7].map((d) => (
            <button
              key={d}
              type="button"
              aria-label={`Snooze ${plural(d, 'day')}`}
              aria-busy={busy === `snooze-${d}` || undefined}
              onClick={() => void snooze(d)}
              className="h-7 border-l border-line-strong px-2 text-[13px] font-medium tabular-nums last:rounded-r-lg hover:bg-hover focus-visible:outline-2 focus-visible:outline-ring"
            >
              {d}d
            </button>
          ))}
        </div>
        <Button size="sm" icon={CalendarCheck} busy={busy === 'mark'} onClick={() => void markRotated()}>
          Mark rotated at provider
        </Button>
        <Button size="sm" variant="ghost" className="ml-auto" aria-label={`Manage rotation of ${item.name}`} aria-pressed={selected} onClick={onManage}>
          Manage
          <ChevronRight size={14} aria-hidden="true" />
        </Button>
      </div>
    </li>
  );
}
