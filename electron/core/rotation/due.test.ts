/**
 * Due dates from stored timestamps alone: effective rules (defaults ← type ←
 * provider ← credential), the earliest of interval / maximum age / expiry,
 * overdue / due soon / upcoming, snoozes, deactivated credentials, the `due`
 * window (`--within N`, `--within 0`, and the reminder lead time without one),
 * the vault key's own schedule, DST (timestamps are UTC instants, so the
 * process's time zone changes nothing) and far-future dates.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ROTATION_RULES, TIMELINE_GROUPS, timelineGroupOf, type RotationPolicySettings } from '../../../shared/rotation.js';
import { emptyBody, type StoredCredential, type VaultBody } from '../vault/body.js';
import { dueItemFor, dueWithin, effectiveRules, nextReminderAt, reminderView, reminderViewPaced, remindersDue, schedule, scheduleView, timelinePaced, vaultKeyDueAt } from './due.js';
import { storedCredential } from '../../test/helpers/stored-credential.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(ms);
const iso = (ms: number) => new Date(ms).toISOString();

function cred(overrides: Partial<StoredCredential> = {}): StoredCredential {
  return storedCredential(T0, overrides);
}

/** A pacer that never waits: the steps run as they would in the app, at once. */
function countingPacer(): { pause(): Promise<void>; pauses: number } {
  const pacer = { pauses: 0, pause: async () => void pacer.pauses++ };
  return pacer;
}

function body(credentials: StoredCredential[], policy?: Partial<RotationPolicySettings>): VaultBody {
  const b = emptyBody();
  b.credentials = credentials;
  b.rotation = { ...b.rotation, ...policy };
  return b;
}

const defaults = (): RotationPolicySettings => body([]).rotation;

describe('effective rules', () => {
  it('start from the defaults (30 / 90 / 7)', () => {
    expect(effectiveRules(defaults(), cred())).toEqual({ intervalDays: 30, maxAgeDays: 90, reminderLeadDays: 7 });
    expect(DEFAULT_ROTATION_RULES).toEqual({ intervalDays: 30, maxAgeDays: 90, reminderLeadDays: 7 });
  });

  it('layer type ← provider ← credential, the most specific winning field by field', () => {
    const policy: RotationPolicySettings = {
      defaults: { intervalDays: 30, maxAgeDays: 90, reminderLeadDays: 7 },
      byType: { api_key: { intervalDays: 60, maxAgeDays: 120 }, password: { intervalDays: 5 } },
      byProvider: { stripe: { intervalDays: 14 } },
    };
    // Type only.
    expect(effectiveRules(policy, cred({ provider: 'GitHub' }))).toEqual({ intervalDays: 60, maxAgeDays: 120, reminderLeadDays: 7 });
    // Provider over type; the provider is matched trimmed and case-insensitively.
    expect(effectiveRules(policy, cred({ provider: '  STRIPE ' }))).toEqual({ intervalDays: 14, maxAgeDays: 120, reminderLeadDays: 7 });
    // Credential over provider; absent fields inherit.
    expect(effectiveRules(policy, cred({ provider: 'stripe', rotation: { override: { reminderLeadDays: 0, intervalDays: 3 } } }))).toEqual({
      intervalDays: 3,
      maxAgeDays: 120,
      reminderLeadDays: 0,
    });
    // Another type is untouched by the api_key rules.
    expect(effectiveRules(policy, cred({ type: 'secret' }))).toEqual(policy.defaults);
  });

  it('ignore fields that are not numbers (an override never blanks a rule)', () => {
    const policy: RotationPolicySettings = { ...defaults(), byType: { api_key: { intervalDays: undefined, maxAgeDays: null as unknown as number } } };
    expect(effectiveRules(policy, cred({ rotation: { override: { intervalDays: undefined } } }))).toEqual(DEFAULT_ROTATION_RULES);
  });
});

describe('the due date', () => {
  it('is counted from the last rotation, or from creation when never rotated', () => {
    expect(dueItemFor(cred(), defaults(), at(T0)).dueAt).toBe(iso(T0 + 30 * DAY));
    const rotated = cred({ lastRotatedAt: iso(T0 + 10 * DAY) });
    const item = dueItemFor(rotated, defaults(), at(T0 + 11 * DAY));
    expect(item.dueAt).toBe(iso(T0 + 40 * DAY));
    expect(item.lastRotatedAt).toBe(iso(T0 + 10 * DAY));
  });

  it('is the earliest of the interval, the maximum age and the expiry, with that reason', () => {
    const byInterval = dueItemFor(cred(), defaults(), at(T0));
    expect([byInterval.dueAt, byInterval.reason]).toEqual([iso(T0 + 30 * DAY), 'rotation_interval']);

    const byAge = dueItemFor(cred({ rotation: { override: { intervalDays: 200, maxAgeDays: 45 } } }), defaults(), at(T0));
    expect([byAge.dueAt, byAge.reason]).toEqual([iso(T0 + 45 * DAY), 'max_age']);

    const expiresAt = iso(T0 + 12 * DAY + 3_600_000);
    const byExpiry = dueItemFor(cred({ expiresAt }), defaults(), at(T0));
    expect([byExpiry.dueAt, byExpiry.reason]).toEqual([expiresAt, 'expiry']);

    // An expiry after the interval does not matter.
    expect(dueItemFor(cred({ expiresAt: iso(T0 + 300 * DAY) }), defaults(), at(T0)).reason).toBe('rotation_interval');
    // An expiry already passed makes the credential overdue at once.
    const expired = dueItemFor(cred({ expiresAt: iso(T0 - DAY) }), defaults(), at(T0));
    expect([expired.reason, expired.status]).toEqual(['expiry', 'overdue']);
  });

  it('is overdue from the due instant on, due soon from due − lead, upcoming before (exact boundaries)', () => {
    const c = cred(); // due T0+30d, lead 7d
    const due = T0 + 30 * DAY;
    const status = (ms: number) => dueItemFor(c, defaults(), at(ms)).status;
    expect(status(due - 7 * DAY - 1)).toBe('upcoming');
    expect(status(due - 7 * DAY)).toBe('due_soon');
    expect(status(due - 1)).toBe('due_soon');
    expect(status(due)).toBe('overdue');
    expect(status(due + 400 * DAY)).toBe('overdue');
    expect(dueItemFor(c, defaults(), at(T0)).remindAt).toBe(iso(due - 7 * DAY));
  });

  it('with a lead time of 0 the reminder is at the due date itself', () => {
    const c = cred({ rotation: { override: { reminderLeadDays: 0 } } });
    const item = dueItemFor(c, defaults(), at(T0 + 30 * DAY - 1));
    expect(item.remindAt).toBe(item.dueAt);
    expect(item.status).toBe('upcoming');
  });

  it('reports whether a rotator is configured', () => {
    const withRotator = cred({ rotation: { rotator: { create: 'x', timeoutSeconds: 60, confirmedAt: iso(T0) } } });
    expect(dueItemFor(withRotator, defaults(), at(T0)).hasRotator).toBe(true);
    expect(dueItemFor(cred(), defaults(), at(T0)).hasRotator).toBe(false);
  });
});

describe('snoozes', () => {
  const overdue = () => cred({ createdAt: iso(T0 - 40 * DAY) }); // due T0−10d

  it('move the reminder (not the due date) to the end of the snooze, then expire on their own', () => {
    const c = overdue();
    c.rotation = { snoozedUntil: iso(T0 + 2 * DAY) };
    const b = body([c]);
    const during = dueItemFor(c, b.rotation, at(T0));
    expect(during.dueAt).toBe(iso(T0 - 10 * DAY));
    expect(during.status).toBe('overdue');
    expect(during.snoozedUntil).toBe(iso(T0 + 2 * DAY));
    expect(during.remindAt).toBe(iso(T0 + 2 * DAY));
    expect(remindersDue(b, at(T0))).toEqual([]);
    expect(nextReminderAt(b, at(T0))).toEqual(at(T0 + 2 * DAY));

    const after = dueItemFor(c, b.rotation, at(T0 + 2 * DAY));
    expect(after.snoozedUntil).toBeNull();
    expect(after.remindAt).toBe(iso(T0 - 17 * DAY));
    expect(remindersDue(b, at(T0 + 2 * DAY)).map((i) => i.id)).toEqual([c.id]);
  });

  it('that end before the lead time starts change nothing', () => {
    const c = cred({ rotation: { snoozedUntil: iso(T0 + DAY) } }); // due T0+30d, reminder T0+23d
    const item = dueItemFor(c, defaults(), at(T0));
    expect(item.remindAt).toBe(iso(T0 + 23 * DAY));
    expect(nextReminderAt(body([c]), at(T0))).toEqual(at(T0 + 23 * DAY));
  });

  it('do not hide a credential from `due` (it is still due; the listing says it is snoozed)', () => {
    const c = overdue();
    c.rotation = { snoozedUntil: iso(T0 + DAY) };
    const [item] = dueWithin(body([c]), at(T0), 0);
    expect(item?.snoozedUntil).toBe(iso(T0 + DAY));
  });
});

describe('deactivated credentials', () => {
  it('are never scheduled, listed as due, reminded or used to arm a timer', () => {
    const inactive = cred({ active: false, createdAt: iso(T0 - 400 * DAY), expiresAt: iso(T0 - DAY) });
    const soon = cred({ active: false }); // would be reminded at T0+23d
    const b = body([inactive, soon]);
    expect(schedule(b, at(T0))).toEqual([]);
    expect(dueWithin(b, at(T0))).toEqual([]);
    expect(dueWithin(b, at(T0), 0)).toEqual([]);
    expect(dueWithin(b, at(T0), 10_000)).toEqual([]);
    expect(remindersDue(b, at(T0))).toEqual([]);
    expect(nextReminderAt(b, at(T0))).toBeNull();
  });
});

describe('reminders in one pass', () => {
  it('are the schedule’s items whose reminder shows now, soonest first, with the next reminder after them', () => {
    // Overdue, due soon, upcoming, snoozed past now and before it, one inactive, ties in due time kept in vault order.
    const vault = body([
      cred({ name: 'upcoming', createdAt: iso(T0 - 5 * DAY) }),
      cred({ name: 'overdue', createdAt: iso(T0 - 40 * DAY) }),
      cred({ name: 'soon-1', createdAt: iso(T0 - 25 * DAY) }),
      cred({ name: 'soon-2', createdAt: iso(T0 - 25 * DAY) }),
      cred({ name: 'snoozed', createdAt: iso(T0 - 40 * DAY), rotation: { snoozedUntil: iso(T0 + 2 * DAY) } }),
      cred({ name: 'snooze-over', createdAt: iso(T0 - 40 * DAY), rotation: { snoozedUntil: iso(T0 - DAY) } }),
      cred({ name: 'inactive', active: false, createdAt: iso(T0 - 40 * DAY) }),
    ]);
    for (const now of [T0 - 30 * DAY, T0, T0 + 3 * DAY, T0 + 60 * DAY]) {
      const items = schedule(vault, at(now));
      const showing = items.filter((i) => Date.parse(i.remindAt) <= now && !i.snoozedUntil);
      const later = items.map((i) => Date.parse(i.remindAt)).filter((t) => t > now);
      expect(reminderView(vault, at(now))).toEqual({ due: showing, next: later.length ? at(Math.min(...later)) : null });
      expect(scheduleView(vault, at(now))).toEqual({ items, reminders: showing.length });
    }
    expect(remindersDue(vault, at(T0)).map((i) => i.name)).toEqual(['overdue', 'snooze-over', 'soon-1', 'soon-2']);
    expect(nextReminderAt(vault, at(T0))).toEqual(at(T0 + 2 * DAY));
  });

  it('in paced steps: the same view, with a chance to pause every thousand credentials, of the list as it stood when asked', async () => {
    const credentials = Array.from({ length: 5_500 }, (_, i) => cred({ name: `c${i}`, createdAt: iso(T0 - (i % 60) * DAY) }));
    const vault = body(credentials);
    let pauses = 0;
    const pacer = {
      pause: () => {
        // A save meanwhile changes the list in place: the look goes on with the list it was given.
        if (++pauses === 1) (vault.credentials as StoredCredential[]).splice(10);
        return Promise.resolve();
      },
    };
    const expected = reminderView(body(credentials.slice()), at(T0));
    expect(expected.due.length).toBeGreaterThan(1_000);
    expect(await reminderViewPaced(vault, at(T0), pacer)).toEqual(expected);
    expect(pauses).toBe(5);
  });
});

describe('the Rotation screen’s timeline', () => {
  const vault = body([
    cred({ name: 'upcoming-1', createdAt: iso(T0 - 5 * DAY) }),
    cred({ name: 'overdue-1', createdAt: iso(T0 - 40 * DAY) }),
    cred({ name: 'soon', createdAt: iso(T0 - 25 * DAY) }),
    cred({ name: 'overdue-2', createdAt: iso(T0 - 50 * DAY) }),
    cred({ name: 'snoozed', createdAt: iso(T0 - 40 * DAY), rotation: { snoozedUntil: iso(T0 + 2 * DAY) } }),
    cred({ name: 'overdue-3', createdAt: iso(T0 - 35 * DAY) }),
    cred({ name: 'upcoming-2', createdAt: iso(T0 - 1 * DAY) }),
    cred({ name: 'inactive', active: false, createdAt: iso(T0 - 40 * DAY) }),
  ]);
  const limits = (n: number) => ({ overdue: n, due_soon: n, snoozed: n, upcoming: n });

  it('is the schedule grouped as the screen groups it: each group’s count, and its first items soonest first', async () => {
    const items = schedule(vault, at(T0));
    const paced = countingPacer();
    for (const n of [0, 2, 50]) {
      const view = await timelinePaced(vault, at(T0), { limits: limits(n), keep: [] }, paced);
      for (const group of TIMELINE_GROUPS) {
        const all = items.filter((i) => timelineGroupOf(i.status, i.snoozedUntil !== null) === group);
        expect(view.groups[group]).toEqual({ total: all.length, items: all.slice(0, n) });
      }
      expect(view.reminders).toBe(scheduleView(vault, at(T0)).reminders);
    }
    const view = await timelinePaced(vault, at(T0), { limits: limits(2), keep: [] }, paced);
    expect(view.groups.overdue.items.map((i) => i.name)).toEqual(['overdue-2', 'overdue-1']);
    expect(Object.values(view.groups).map((g) => g.total)).toEqual([3, 1, 1, 2]);
  });

  it('keeps a card where it showed: its group and due date, whatever it is due now', async () => {
    // overdue-1 was marked rotated at the provider: now upcoming, but its card stays second among the overdue.
    const before = schedule(vault, at(T0)).find((i) => i.name === 'overdue-1')!;
    const rotated = body(vault.credentials.map((c) => (c.name === 'overdue-1' ? { ...c, lastRotatedAt: iso(T0) } : c)));
    const view = await timelinePaced(rotated, at(T0), { limits: limits(50), keep: [{ id: before.id, group: 'overdue', dueAt: before.dueAt }] });
    expect(view.groups.overdue.items.map((i) => i.name)).toEqual(['overdue-2', 'overdue-1', 'overdue-3']);
    expect(view.groups.overdue.items[1]!.status).toBe('upcoming');
    expect(view.groups.upcoming.items.map((i) => i.name)).toEqual(['upcoming-1', 'upcoming-2']);
    expect(view.groups.overdue.total).toBe(3);
    // A kept id that is no longer there (deleted meanwhile) changes nothing.
    const gone = await timelinePaced(vault, at(T0), { limits: limits(50), keep: [{ id: '00000000-0000-4000-8000-000000000000', group: 'snoozed', dueAt: iso(T0) }] });
    expect(gone.groups).toEqual((await timelinePaced(vault, at(T0), { limits: limits(50), keep: [] })).groups);
  });
});

describe('what is due (`keyward due`)', () => {
  // Due dates relative to T0: a −5 d (overdue), b +0 (due exactly now), c +3 d, d +5 d with lead 2, e +20 d.
  const a = cred({ name: 'a', createdAt: iso(T0 - 35 * DAY) });
  const b0 = cred({ name: 'b', createdAt: iso(T0 - 30 * DAY) });
  const c = cred({ name: 'c', createdAt: iso(T0 - 27 * DAY) });
  const d = cred({ name: 'd', createdAt: iso(T0 - 25 * DAY), rotation: { override: { reminderLeadDays: 2 } } });
  const e = cred({ name: 'e', createdAt: iso(T0 - 10 * DAY) });
  const vault = body([e, d, c, b0, a]);
  const names = (items: { name: string }[]) => items.map((i) => i.name);

  it('without a window: each credential’s own reminder lead time decides', () => {
    // d is due in 5 days but reminds only 2 days ahead; c (lead 7) is due in 3.
    expect(names(dueWithin(vault, at(T0)))).toEqual(['a', 'b', 'c']);
  });

  it('--within 0 means due by now (the due instant itself included)', () => {
    expect(names(dueWithin(vault, at(T0), 0))).toEqual(['a', 'b']);
    expect(names(dueWithin(vault, at(T0 - 1), 0))).toEqual(['a']);
  });

  it('--within N: everything due by now + N days, soonest first', () => {
    expect(names(dueWithin(vault, at(T0), 3))).toEqual(['a', 'b', 'c']);
    expect(names(dueWithin(vault, at(T0), 5))).toEqual(['a', 'b', 'c', 'd']);
    expect(names(dueWithin(vault, at(T0), 19))).toEqual(['a', 'b', 'c', 'd']);
    expect(names(dueWithin(vault, at(T0), 20))).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(names(schedule(vault, at(T0)))).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('is computed from timestamps alone: a month without looking changes nothing but the clock', () => {
    const later = dueWithin(vault, at(T0 + 30 * DAY), 0);
    expect(names(later)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(later.every((i) => i.status === 'overdue')).toBe(true);
    expect(later.find((i) => i.name === 'e')?.dueAt).toBe(iso(T0 + 20 * DAY));
  });
});

describe('the vault key', () => {
  it('is due its rotation interval after it was made (or after the vault was made, for older vaults); 0 turns the schedule off', () => {
    const b = body([]);
    const created = iso(T0 - 100 * DAY);
    expect(vaultKeyDueAt(b, created)).toEqual(at(T0 - 100 * DAY + 365 * DAY));
    b.keyCreatedAt = iso(T0);
    expect(vaultKeyDueAt(b, created)).toEqual(at(T0 + 365 * DAY));
    b.settings.vaultKeyRotationDays = 30;
    expect(vaultKeyDueAt(b, created)).toEqual(at(T0 + 30 * DAY));
    b.settings.vaultKeyRotationDays = 0;
    expect(vaultKeyDueAt(b, created)).toBeNull();
  });
});

describe('across a DST change', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('the due date is exactly N × 24 h after the base, whatever the process time zone', () => {
    // Europe/Berlin moves to summer time on 2026-03-29 and back on 2026-10-25.
    const spring = Date.parse('2026-03-20T12:00:00.000Z');
    const autumn = Date.parse('2026-10-20T23:30:00.000Z');
    const results: string[][] = [];
    for (const tz of ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata']) {
      process.env.TZ = tz;
      const springItem = dueItemFor(cred({ lastRotatedAt: iso(spring) }), defaults(), at(spring));
      const autumnItem = dueItemFor(cred({ lastRotatedAt: iso(autumn), rotation: { override: { intervalDays: 7, reminderLeadDays: 1 } } }), defaults(), at(autumn));
      expect(Date.parse(springItem.dueAt) - spring).toBe(30 * DAY);
      expect(Date.parse(springItem.remindAt) - spring).toBe(23 * DAY);
      expect(Date.parse(autumnItem.dueAt) - autumn).toBe(7 * DAY);
      expect(Date.parse(autumnItem.remindAt) - autumn).toBe(6 * DAY);
      results.push([springItem.dueAt, springItem.remindAt, autumnItem.dueAt, autumnItem.remindAt]);
      if (tz === 'Europe/Berlin') {
        // The time zone really is in effect and really changes offset inside both intervals.
        expect(new Date(spring).getTimezoneOffset()).toBe(-60);
        expect(new Date(springItem.dueAt).getTimezoneOffset()).toBe(-120);
        expect(new Date(autumn).getTimezoneOffset()).toBe(-120);
        expect(new Date(autumnItem.dueAt).getTimezoneOffset()).toBe(-60);
      }
    }
    expect(new Set(results.map((r) => r.join()))).toHaveProperty('size', 1);
    expect(results[0]).toEqual(['2026-04-19T12:00:00.000Z', '2026-04-12T12:00:00.000Z', '2026-10-27T23:30:00.000Z', '2026-10-26T23:30:00.000Z']);
  });

  it('status flips at the same instant in every time zone', () => {
    const base = Date.parse('2026-03-28T23:00:00.000Z');
    const c = cred({ lastRotatedAt: iso(base), rotation: { override: { intervalDays: 1, reminderLeadDays: 0 } } });
    for (const tz of ['UTC', 'Europe/Berlin', 'Pacific/Chatham']) {
      process.env.TZ = tz;
      expect(dueItemFor(c, defaults(), at(base + DAY - 1)).status).toBe('upcoming');
      expect(dueItemFor(c, defaults(), at(base + DAY)).status).toBe('overdue');
    }
  });
});

describe('far-future dates', () => {
  it('are computed and ordered by time, also past the year 9999', () => {
    const farBase = Date.parse('9995-06-01T00:00:00.000Z');
    const far = cred({ name: 'far', createdAt: iso(farBase), rotation: { override: { intervalDays: 3650, maxAgeDays: 3650 } } });
    const near = cred({ name: 'near' });
    const sentinel = cred({ name: 'sentinel', expiresAt: '9999-12-31T00:00:00.000Z', createdAt: iso(T0 + DAY) });
    const b = body([far, sentinel, near]);
    const items = schedule(b, at(T0));
    expect(items.map((i) => i.name)).toEqual(['near', 'sentinel', 'far']);
    const farItem = items[2]!;
    expect(Date.parse(farItem.dueAt)).toBe(farBase + 3650 * DAY);
    expect(farItem.dueAt.startsWith('+01000')).toBe(true);
    expect(farItem.status).toBe('upcoming');
    expect(items[1]!.reason).toBe('rotation_interval');
    expect(dueWithin(b, at(T0), 3650 * 10_000).map((i) => i.name)).toEqual(['near', 'sentinel', 'far']);
    // The next reminder is the nearest one, not the lexically smallest.
    expect(nextReminderAt(body([far, near]), at(T0))).toEqual(at(T0 + 23 * DAY));
  });

  it('an expiry at the end of representable time still works', () => {
    const c = cred({ expiresAt: '+275760-09-13T00:00:00.000Z', rotation: { override: { intervalDays: 3650, maxAgeDays: 3650 } } });
    const item = dueItemFor(c, defaults(), at(T0));
    expect(item.reason).toBe('rotation_interval');
    expect(Date.parse(item.dueAt)).toBe(T0 + 3650 * DAY);
  });
});
