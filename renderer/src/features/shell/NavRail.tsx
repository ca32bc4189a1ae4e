/**
 * The unlocked app's sections: Vault, Dashboard, Health, Rotation, Generator,
 * Audit, Incidents, Policies, Grants and Integrations. A narrow rail of buttons (aria-current marks the open
 * one); Rotation carries the reminder count, Incidents the unresolved
 * incidents. Not printed: a printed screen (the dashboard) stands alone.
 */
import { Activity, CalendarClock, KeySquare, LayoutDashboard, Plug, ScrollText, ShieldAlert, ShieldCheck, Vault, WandSparkles, type LucideIcon } from '../../components/icons';
import { useStore, type Screen } from '../../store';

const ITEMS: { screen: Screen; label: string; icon: LucideIcon }[] = [
  { screen: 'vault', label: 'Vault', icon: Vault },
  { screen: 'dashboard', label: 'Dashboard', icon: LayoutDashboard },
  { screen: 'health', label: 'Health', icon: Activity },
  { screen: 'rotation', label: 'Rotation', icon: CalendarClock },
  { screen: 'generator', label: 'Generator', icon: WandSparkles },
  { screen: 'audit', label: 'Audit', icon: ScrollText },
  { screen: 'incidents', label: 'Incidents', icon: ShieldAlert },
  { screen: 'policies', label: 'Policies', icon: ShieldCheck },
  { screen: 'grants', label: 'Grants', icon: KeySquare },
  { screen: 'integrations', label: 'Integrations', icon: Plug },
];

/** What a badge's number counts, in words for the button's name. */
const BADGE_WORDS: Partial<Record<Screen, string>> = { rotation: 'due', incidents: 'unresolved' };

export function NavRail() {
  const screen = useStore((s) => s.screen);
  const setScreen = useStore((s) => s.setScreen);
  const reminders = useStore((s) => s.reminders);
  const unresolvedIncidents = useStore((s) => s.unresolvedIncidents);
  return (
    <nav aria-label="Sections" className="flex w-[76px] shrink-0 flex-col items-center gap-1 overflow-y-auto border-r border-line bg-surface py-2 print:hidden">
      {ITEMS.map(({ screen: target, label, icon: Icon }) => {
        const current = screen === target;
        const count = target === 'rotation' ? reminders : target === 'incidents' ? unresolvedIncidents : 0;
        return (
          <button
            key={target}
            type="button"
            aria-current={current ? 'page' : undefined}
            onClick={() => setScreen(target)}
            className={`relative flex w-[64px] flex-col items-center gap-1 rounded-lg py-2 text-[11px] font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-ring ${
              current ? 'bg-selected text-accent-text' : 'text-muted hover:bg-hover hover:text-fg'
            }`}
          >
            <Icon size={20} aria-hidden="true" />
            {label}
            {count > 0 ? (
              <>
                {/* The name is the visible label plus the count in words; the badge draws the number from
                    data-count (CSS), so it is not text that the name would have to repeat (WCAG 2.5.3). */}
                <span className="sr-only">
                  , {count} {BADGE_WORDS[target]}
                </span>
                <span
                  data-testid={target === 'rotation' ? 'nav-reminder-badge' : `nav-${target}-badge`}
                  data-count={count > 99 ? '99+' : String(count)}
                  aria-hidden="true"
                  className="absolute top-1 right-2.5 inline-flex h-4 min-w-4 items-center justify-center rounded-full bg-danger px-1 text-[10px] leading-none font-semibold text-white after:content-[attr(data-count)]"
                />
              </>
            ) : null}
          </button>
        );
      })}
    </nav>
  );
}
