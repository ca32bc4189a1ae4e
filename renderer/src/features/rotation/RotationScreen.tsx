/**
 * Rotation: what is overdue, due soon, snoozed and upcoming, as a timeline
 * from 'rotation.timeline' (each group's count and a page of it; "Show more"
 * asks for the next); rotate, snooze and "rotated at the provider" on
 * each item; and, beside it, the policies (defaults, per type, per provider)
 * or one credential's policy, rotator and runs.
 */
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import type { RotationTimeline } from '../../../../shared/ipc/contract';
import { TIMELINE_PAGE, type DueItem, type TimelineGroup } from '../../../../shared/rotation';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { AlarmClock, CalendarCheck, Check, ChevronRight, LoaderCircle, RotateCw, ShieldCheck, TypeIcon } from '../../components/icons';
import { call } from '../../lib/api';
import { formatCount, formatDate, plural, typeLabel } from '../../lib/format';
import type { CredentialTypeId } from '../../../../shared/credential-types/index';
import { useStore } from '../../store';
import { CredentialRotationPanel } from './CredentialRotationPanel';
import { dueIn, reasonLabel } from './due-format';
import { PolicyPanel } from './PolicyPanel';
import { useDueOf } from './use-due';

type Group = TimelineGroup;
const GROUPS: { key: Group; title: string; tone: string }[] = [
  { key: 'overdue', title: 'Overdue', tone: 'bg-danger' },
  { key: 'due_soon', title: 'Due soon', tone: 'bg-warn-text' },
  { key: 'snoozed', title: 'Snoozed', tone: 'bg-faint' },
  { key: 'upcoming', title: 'Upcoming', tone: 'bg-accent' },
];

/**
 * The credential the side panel manages: its card when a page shows it, else
 * asked of main (a snooze can move it past the page its group shows).
 */
function useManaged(id: string | null, timeline: RotationTimeline | null): DueItem | null {
  const shown = useMemo(() => (id && timeline ? GROUPS.map((g) => timeline.groups[g.key].items.find((i) => i.id === id)).find(Boolean) ?? null : null), [id, timeline]);
  const asked = useDueOf(shown ? null : id, [timeline]);
  return shown ?? asked;
}

export function RotationScreen() {
  const timeline = useStore((s) => s.timeline);
  const kept = useStore((s) => s.timelineAsk?.keep);
  const openTimeline = useStore((s) => s.openTimeline);
  const closeTimeline = useStore((s) => s.closeTimeline);
  const showMore = useStore((s) => s.showMore);
  const keepInPlace = useStore((s) => s.keepInPlace);
  const release = useStore((s) => s.release);
  const [selected, setSelected] = useState<string | null>(null);
  const marked = useMemo(() => new Set((kept ?? []).map((k) => k.id)), [kept]);

  // Always fresh on arrival: due dates move with the clock. Closed on leaving: while it is open,
  // every change elsewhere asks for it again.
  useEffect(() => {
    void openTimeline();
    return closeTimeline;
  }, [openTimeline, closeTimeline]);

  const manage = useCallback((id: string) => setSelected(id), []);
  const selectedItem = useManaged(selected, timeline);

  if (!timeline)
    return (
      <div className="flex h-full items-center justify-center" aria-busy="true">
        <LoaderCircle size={22} className="animate-spin text-faint" aria-label="Loading the schedule" />
      </div>
    );

  const empty = GROUPS.every((g) => timeline.groups[g.key].total === 0);
  return (
    // The bottom padding lets the last card scroll clear of the toasts (bottom left, up to three).
    <div className="mx-auto flex max-w-6xl gap-6 px-8 pt-7 pb-72 max-lg:flex-col">
      <div className="min-w-0 flex-1">
        <h1 className="text-xl font-semibold">Rotation</h1>
        <p className="mt-1 text-sm text-muted">
          {timeline.reminders > 0 ? `${plural(timeline.reminders, 'credential')} due now or soon.` : 'Nothing needs rotating right now.'}
          {timeline.vaultKeyDueAt ? ` The vault key is due for rotation ${formatDate(timeline.vaultKeyDueAt)} (Settings → Rotate vault key).` : ''}
        </p>
        {empty ? (
          <div className="mt-5 flex flex-col items-center rounded-xl border border-dashed border-line-strong bg-surface px-6 py-10 text-center">
            <ShieldCheck size={32} className="text-ok-text" aria-hidden="true" />
            <p className="mt-3 font-medium">No active credentials to rotate</p>
          </div>
        ) : (
          GROUPS.map((g) => {
            const { total, items: visible } = timeline.groups[g.key];
            const more = Math.min(TIMELINE_PAGE, total - visible.length);
            return (
              <section key={g.key} aria-label={g.title} className="mt-6">
                <h2 className="flex items-center gap-2 text-sm font-semibold">
                  <span className={`h-2.5 w-2.5 rounded-full ${g.tone}`} aria-hidden="true" />
                  {g.title}
                  <span className="font-normal text-muted">({formatCount(total)})</span>
                </h2>
                {total === 0 ? (
                  <p className="mt-2 pl-[18px] text-xs text-faint">None.</p>
                ) : (
                  <>
                    <ol className="relative mt-2 ml-[4px] space-y-2 border-l border-line pl-4">
                      {visible.map((item) => (
                        <TimelineItem
                          key={item.id}
                          item={item}
                          group={g.key}
                          dot={g.tone}
                          selected={selected === item.id}
                          marked={marked.has(item.id)}
                          onManage={manage}
                          onMarked={keepInPlace}
                          onUnmarked={release}
                        />
                      ))}
                    </ol>
                    {more > 0 ? (
                      <div className="mt-2 flex items-center gap-3 pl-[18px] text-xs text-muted">
                        <span>
                          Showing {formatCount(visible.length)} of {formatCount(total)}
                        </span>
                        <Button size="sm" variant="ghost" onClick={() => void showMore(g.key)}>
                          Show {more} more
                        </Button>
                      </div>
                    ) : null}
                  </>
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

interface TimelineItemProps {
  item: DueItem;
  group: Group;
  dot: string;
  selected: boolean;
  /** Marked "rotated at the provider" while this screen is open: the button stays, done, in its place. */
  marked: boolean;
  onManage: (id: string) => void;
  onMarked: (item: DueItem) => void;
  onUnmarked: (id: string) => void;
}

const TimelineItem = memo(function TimelineItem({ item, group, dot, selected, marked, onManage, onMarked, onUnmarked }: TimelineItemProps) {
  const openDialog = useStore((s) => s.openDialog);
  const applyDetail = useStore((s) => s.applyDetail);
  const loadTimeline = useStore((s) => s.loadTimeline);
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
  const undoMark = async () => {
    const r = applyDetail(await call('rotation.undoMarkRotated', { id: item.id }));
    if (!r.ok) return toastError(r.error);
    onUnmarked(item.id);
    toast('success', `Undid “rotated at the provider” for “${item.name}”.`);
  };
  const markRotated = async () => {
    setBusy('mark');
    const r = applyDetail(await call('rotation.markRotated', { id: item.id }));
    setBusy(null);
    if (!r.ok) return toastError(r.error);
    onMarked(item);
    await loadTimeline();
    toast('success', `Marked “${item.name}” as rotated at the provider.`, { label: 'Undo', run: undoMark });
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
            · {dueIn(item.dueAt, item.reason)} · {reasonLabel(item)}
          </p>
          <p className="mt-0.5 text-xs text-faint">
            {[typeLabel(item.type as CredentialTypeId), item.provider, item.lastRotatedAt ? `last rotated ${formatDate(item.lastRotatedAt)}` : null].filter(Boolean).join(' · ')}
            {item.snoozedUntil ? ` · snoozed until ${formatDate(item.snoozedUntil)}` : ''}
            {group === 'upcoming' ? ` · reminders from ${formatDate(item.remindAt)}` : ''}
          </p>
        </div>
      </div>
      <div className="mt-2.5 flex flex-wrap items-center gap-1.5">
        <Button size="sm" icon={RotateCw} onClick={() => openDialog({ kind: 'rotate', id: item.id })}>
          Rotate
        </Button>
        {/* Snoozing what is not due yet would change nothing: only due and snoozed cards offer it. */}
        {group !== 'upcoming' ? (
        <div role="group" aria-label={`Snooze ${item.name}`} className="inline-flex items-center rounded-lg border border-line-strong">
          <span className="flex items-center gap-1 px-2 text-[13px] text-muted">
            <AlarmClock size={14} aria-hidden="true" />
            Snooze
          </span>
          {[1, 3, 7].map((d) => (
            <button
              key={d}
              type="button"
              aria-label={`${d}d, snooze ${plural(d, 'day')}`}
              aria-busy={busy === `snooze-${d}` || undefined}
              disabled={marked}
              onClick={() => void snooze(d)}
              className="h-7 border-l border-line-strong px-2 text-[13px] font-medium tabular-nums last:rounded-r-lg hover:bg-hover focus-visible:outline-2 focus-visible:outline-ring disabled:opacity-50 disabled:hover:bg-transparent"
            >
              {d}d
            </button>
          ))}
        </div>
        ) : null}
        <Button size="sm" icon={marked ? Check : CalendarCheck} busy={busy === 'mark'} disabled={marked} onClick={() => void markRotated()}>
          {/* Both labels take the same space, so the button keeps its size when it turns into "done". */}
          <span className="inline-grid">
            <span className={`col-start-1 row-start-1 ${marked ? 'invisible' : ''}`}>Mark rotated at provider</span>
            <span className={`col-start-1 row-start-1 ${marked ? '' : 'invisible'}`}>Marked rotated</span>
          </span>
        </Button>
        <Button size="sm" variant="ghost" className="ml-auto" aria-label={`Manage rotation of ${item.name}`} aria-pressed={selected} onClick={() => onManage(item.id)}>
          Manage
          <ChevronRight size={14} aria-hidden="true" />
        </Button>
      </div>
    </li>
  );
});
