import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRC_CALENDAR, shanghaiDate } from './calendar.ts';
import {
  addDaysToDay,
  expiryReminderAt,
  holdEnd,
  holdLapsesAt,
  renewalReminder,
  termLastDay,
} from './hold-term.ts';
import {
  ASSET_KINDS,
  REMINDER_RULE_SETS,
  type ReminderRuleSet,
  reminderRulesFor,
  TERM_RULE_SETS,
} from './rules.ts';

const day = fc
  .integer({ min: Date.parse('2024-03-01'), max: Date.parse('2027-10-31') })
  .map((t) => new Date(t).toISOString().slice(0, 10));

describe('hold terms', () => {
  it.each([
    ['2025-03-01', 365, '2026-02-28'],
    ['2026-03-01', 1, '2026-03-01'],
    ['2027-12-31', 2, '2028-01-01'],
  ])('a term from %s of %i days holds until %s inclusive', (from, days, last) => {
    expect(termLastDay(from, days)).toBe(last);
  });

  it('refuses a term that is not a positive whole number of days', () => {
    for (const bad of [0, -1, 1.5, Number.NaN])
      expect(() => termLastDay('2026-03-01', bad)).toThrow(RangeError);
  });

  it.each([
    ['2026-03-01', 'deposit', '2027-02-28', 365],
    ['2027-03-01', 'deposit', '2028-02-29', 366],
    ['2026-03-01', 'movable', '2028-02-29', 731],
    ['2026-03-01', 'real-estate', '2029-02-28', 1096],
  ] as const)(
    'without a term, a hold from %s on %s lasts the longest the rules allow: until %s',
    (from, kind, last, days) => {
      expect(holdEnd(from, kind)).toEqual({ ok: true, lastDay: last, termDays: days });
    },
  );

  it('keeps a shorter term asked for, and refuses a longer one instead of cutting it short', () => {
    expect(holdEnd('2026-03-01', 'deposit', 30)).toEqual({ ok: true, lastDay: '2026-03-30', termDays: 30 });
    expect(holdEnd('2026-03-01', 'deposit', 366)).toEqual({
      ok: false,
      code: 'TERM_EXCEEDS_LIMIT',
      maxDays: 365,
    });
  });

  it('follows the rules in force at the start: the 2004 six-month deposit term before 2015-02-04', () => {
    expect(holdEnd('2014-03-01', 'deposit')).toEqual({ ok: true, lastDay: '2014-08-31', termDays: 184 });
    const [rules2004] = TERM_RULE_SETS;
    expect(holdEnd('2026-03-01', 'deposit', undefined, rules2004)).toMatchObject({ lastDay: '2026-08-31' });
  });
});

describe('expiry reminders', () => {
  it.each([
    // 2026-06-15 is a Monday: one working day back is the Friday before.
    ['2026-06-15', 1, '2026-06-12'],
    ['2026-06-15', 5, '2026-06-08'],
    ['2026-06-15', 15, '2026-05-25'],
    // 国庆 2026: October 1–7 are holidays and Saturday 10-10 a make-up working day (调休), so the working
    // day before Monday 10-12 is that Saturday; five working days before Friday 10-09 reach into September.
    ['2026-10-12', 1, '2026-10-10'],
    ['2026-10-09', 5, '2026-09-24'],
  ])('a hold ending %s is reminded %i working days ahead, on %s', (last, lead, reminded) => {
    const at = expiryReminderAt(last, lead);
    expect(shanghaiDate(at)).toBe(reminded);
    expect(at.toISOString()).toBe(new Date(`${reminded}T00:00:00+08:00`).toISOString());
  });

  it('defaults to 15 working days', () => {
    expect(expiryReminderAt('2026-06-15')).toEqual(expiryReminderAt('2026-06-15', 15));
  });

  it('always falls on a working day with exactly `lead` working days before the last day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 30 }), (last, lead) => {
        const reminded = shanghaiDate(expiryReminderAt(last, lead));
        expect(PRC_CALENDAR.isWorkingDate(reminded)).toBe(true);
        let working = 0;
        for (let d = reminded; d < last; d = addDaysToDay(d, 1))
          if (PRC_CALENDAR.isWorkingDate(d)) working += 1;
        expect(working).toBe(lead);
      }),
    );
  });
});

describe('lapse and renewal reminders', () => {
  it('a hold lapses at the end of its last day, Beijing time', () => {
    expect(holdLapsesAt('2026-06-15').toISOString()).toBe('2026-06-15T16:00:00.000Z');
    expect(holdLapsesAt('2027-12-31')).toEqual(new Date('2028-01-01T00:00:00+08:00'));
  });

  it.each(ASSET_KINDS)('reminds of a %s hold 15 working days ahead by default', (kind) => {
    expect(renewalReminder('2026-06-15', kind)).toEqual({
      at: new Date('2026-05-25T00:00:00+08:00'),
      leadWorkingDays: 15,
      rules: 'reminders-2026',
      estimated: false,
    });
  });

  it('keeps every reminder rule set as data with its source and a whole, positive lead per asset kind', () => {
    for (const set of REMINDER_RULE_SETS) {
      expect(set.source).toMatch(/\S/);
      for (const kind of ASSET_KINDS) {
        expect(Number.isInteger(set.leadWorkingDays[kind])).toBe(true);
        expect(set.leadWorkingDays[kind]).toBeGreaterThan(0);
      }
    }
  });

  it('applies the rule set in force on the term’s last day, per asset kind', () => {
    const sets: ReminderRuleSet[] = [
      { ...REMINDER_RULE_SETS[0]!, id: 'old', effectiveTo: '2027-01-01' },
      {
        ...REMINDER_RULE_SETS[0]!,
        id: 'new',
        effectiveFrom: '2027-01-01',
        leadWorkingDays: { deposit: 5, movable: 10, 'real-estate': 20, 'other-property-right': 20 },
      },
    ];
    expect(reminderRulesFor('2026-12-31', sets).id).toBe('old');
    expect(reminderRulesFor('2027-01-01', sets).id).toBe('new');
    expect(reminderRulesFor('2001-01-01', sets).id).toBe('old');
    // 2027-06-15 is a Tuesday; 端午 (Wednesday 06-09) is no working day, so 5 working days back is Monday 06-07.
    expect(renewalReminder('2027-06-15', 'deposit', PRC_CALENDAR, sets)).toMatchObject({
      at: new Date('2027-06-07T00:00:00+08:00'),
      leadWorkingDays: 5,
      rules: 'new',
    });
    expect(renewalReminder('2027-06-15', 'real-estate', PRC_CALENDAR, sets).leadWorkingDays).toBe(20);
  });

  it('reminds earlier, never later, when the count reaches a year without a holiday table', () => {
    // A 3-year seal from 2026 ends in 2029: no table yet for that year.
    const r = renewalReminder('2029-03-01', 'real-estate');
    expect(r.estimated).toBe(true);
    // 15 weekdays before Thursday 2029-03-01 is Thursday 2029-02-08; the margin moves it 10 days earlier.
    expect(r.at).toEqual(new Date('2029-01-29T00:00:00+08:00'));
  });

  it('always reminds before the hold lapses, with at least the lead in working days to renew', () => {
    fc.assert(
      fc.property(day, fc.constantFrom(...ASSET_KINDS), (last, kind) => {
        const r = renewalReminder(last, kind);
        expect(r.at.getTime()).toBeLessThan(holdLapsesAt(last).getTime());
        let working = 0;
        for (let d = shanghaiDate(r.at); d < last; d = addDaysToDay(d, 1))
          if (PRC_CALENDAR.isWorkingDate(d)) working += 1;
        expect(working).toBeGreaterThanOrEqual(r.leadWorkingDays);
      }),
    );
  });
});
