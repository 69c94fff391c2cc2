import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CalendarNotCoveredError, daysBetween } from './calendar.ts';
import { HubError } from './errors.ts';
import {
  ASSET_KINDS,
  addMonthsShanghai,
  CURRENT_TERM_RULES,
  DISHONEST_LIST_RULES,
  dishonestDeletionDeadline,
  dishonestListingEndsAt,
  EARLIEST_TERM_RULES_DAY,
  findTermRules,
  maxTermDays,
  type Period,
  periodEndDay,
  relistingBarredUntil,
  TERM_RULE_SETS,
  termRulesAt,
} from './rules.ts';

const at = (iso: string) => new Date(iso);

describe('maximum terms', () => {
  it('are 1 year for deposits, 2 for movables, 3 for real estate and other rights since 2015 (art. 487)', () => {
    expect(CURRENT_TERM_RULES.maxTerm).toEqual({
      deposit: { years: 1 },
      movable: { years: 2 },
      'real-estate': { years: 3 },
      'other-property-right': { years: 3 },
    });
    expect(ASSET_KINDS.map((k) => maxTermDays(CURRENT_TERM_RULES, k, '2026-03-01'))).toEqual([
      365, 731, 1096, 1096,
    ]);
    expect(CURRENT_TERM_RULES.id).toBe('terms-2015');
    expect(CURRENT_TERM_RULES.source).toContain('法释〔2015〕5号');
  });

  it('keep the superseded 2004 figures as an older version with an end date', () => {
    const old = TERM_RULE_SETS.find((s) => s.id === 'terms-2004')!;
    expect(old.effectiveTo).toBe('2015-02-04');
    expect(maxTermDays(old, 'deposit', '2010-01-01')).toBe(181); // 6 months to 2010-07-01
    expect(maxTermDays(old, 'movable', '2010-01-01')).toBe(365);
    expect(maxTermDays(old, 'real-estate', '2010-01-01')).toBe(730);
  });

  it.each([
    ['2010-06-01', 'terms-2004'],
    ['2015-02-03', 'terms-2004'],
    ['2015-02-04', 'terms-2015'],
    ['2026-11-23', 'terms-2015'],
  ])('on %s the rules in force are %s', (day, id) => {
    expect(termRulesAt(day).id).toBe(id);
  });

  it('reads an instant in Shanghai time', () => {
    expect(termRulesAt(at('2015-02-03T16:00:00Z')).id).toBe('terms-2015');
  });

  it('has no rules before 2005: a stable NO_RULES_IN_FORCE refusal (a 400), never a RangeError', () => {
    expect(findTermRules('2004-12-31')).toBeUndefined();
    expect(EARLIEST_TERM_RULES_DAY).toBe('2005-01-01');
    let thrown: unknown;
    try {
      termRulesAt('0001-01-01');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(HubError);
    expect(thrown).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ code: 'NO_RULES_IN_FORCE' }] });
  });

  it('versions do not overlap and leave no gap', () => {
    const sorted = [...TERM_RULE_SETS].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1]!.effectiveTo).toBe(sorted[i]!.effectiveFrom);
    expect(sorted.at(-1)!.effectiveTo).toBeUndefined();
  });
});

describe('terms count to the corresponding date (民法典 art. 201–202)', () => {
  it.each<[string, Period, string, number]>([
    ['2027-03-01', { years: 1 }, '2028-03-01', 366], // spans 2028-02-29
    ['2028-02-01', { years: 1 }, '2029-02-01', 366], // spans 2028-02-29
    ['2026-03-01', { years: 1 }, '2027-03-01', 365],
    ['2028-02-29', { years: 1 }, '2029-02-28', 365], // no 29 February: the month's last day
    ['2025-08-31', { months: 6 }, '2026-02-28', 181],
    ['2026-01-31', { months: 1 }, '2026-02-28', 28],
    ['2026-05-10', { years: 3 }, '2029-05-10', 1096],
  ])('from %s a period of %j ends on %s, %d days on', (start, period, end, days) => {
    expect(periodEndDay(start, period)).toBe(end);
    expect(daysBetween(start, end)).toBe(days);
  });

  it('a one-year deposit freeze starting 2027-03-01 may run 366 days, from 2026-03-01 only 365', () => {
    expect(maxTermDays(CURRENT_TERM_RULES, 'deposit', '2027-03-01')).toBe(366);
    expect(maxTermDays(CURRENT_TERM_RULES, 'deposit', '2026-03-01')).toBe(365);
  });

  it('the maximum is always n years of 365 or 366 days each, never less than 365 × n', () => {
    const day = fc
      .date({
        min: new Date('2015-02-04T00:00:00Z'),
        max: new Date('2099-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.constantFrom(...ASSET_KINDS), (start, kind) => {
        const period = CURRENT_TERM_RULES.maxTerm[kind];
        const years = 'years' in period ? period.years : period.months / 12;
        const days = maxTermDays(CURRENT_TERM_RULES, kind, start);
        expect(days).toBeGreaterThanOrEqual(365 * years - (start.endsWith('02-29') ? 1 : 0));
        expect(days).toBeLessThanOrEqual(366 * years);
      }),
    );
  });
});

describe('dishonest-debtor list (法释〔2017〕7号)', () => {
  it('lists for 2 years, extendable by 1–3', () => {
    const listed = at('2026-03-15T10:00:00+08:00');
    expect(dishonestListingEndsAt(listed).toISOString()).toBe(at('2028-03-15T10:00:00+08:00').toISOString());
    expect(dishonestListingEndsAt(listed, 3).toISOString()).toBe(
      at('2031-03-15T10:00:00+08:00').toISOString(),
    );
    expect(() => dishonestListingEndsAt(listed, 4)).toThrow(RangeError);
    expect(() => dishonestListingEndsAt(listed, 1.5)).toThrow(RangeError);
  });

  it('deletes within 3 working days of the ground arising, skipping holidays', () => {
    // Paid in full on the eve of 国庆 2026: 10/8, 10/9, 10/10 (a make-up Saturday).
    expect(dishonestDeletionDeadline(at('2026-09-30T15:00:00+08:00')).toISOString()).toBe(
      at('2026-10-10T23:59:59.999+08:00').toISOString(),
    );
    // 2024 is covered by its published table (国办发明电〔2023〕7号): not 10/3 (weekends only) but 10/10.
    expect(dishonestDeletionDeadline(at('2024-09-30T15:00:00+08:00')).toISOString()).toBe(
      at('2024-10-10T23:59:59.999+08:00').toISOString(),
    );
    // A year without a table is refused, not guessed.
    expect(() => dishonestDeletionDeadline(at('2023-12-29T15:00:00+08:00'))).toThrow(CalendarNotCoveredError);
    expect(DISHONEST_LIST_RULES.deleteWithinWorkingDays).toBe(3);
    expect(DISHONEST_LIST_RULES.correctWithinWorkingDays).toBe(3);
  });

  it('bars relisting at the applicant’s request for 6 months', () => {
    expect(relistingBarredUntil(at('2026-01-10T09:00:00+08:00')).toISOString()).toBe(
      at('2026-07-10T09:00:00+08:00').toISOString(),
    );
  });
});

describe('addMonthsShanghai', () => {
  it.each([
    ['2026-08-31T12:00:00+08:00', 6, '2027-02-28T12:00:00+08:00'],
    ['2027-08-31T12:00:00+08:00', 6, '2028-02-29T12:00:00+08:00'],
    ['2026-01-31T00:30:00+08:00', 1, '2026-02-28T00:30:00+08:00'], // 00:30 Shanghai is the UTC day before
    ['2026-12-15T08:00:00+08:00', 24, '2028-12-15T08:00:00+08:00'],
  ])('%s + %d months → %s', (start, months, end) => {
    expect(addMonthsShanghai(at(start), months).toISOString()).toBe(at(end).toISOString());
  });
});
