import { describe, expect, it } from 'vitest';
import {
  ASSET_KINDS,
  addMonthsShanghai,
  CURRENT_TERM_RULES,
  DISHONEST_LIST_RULES,
  dishonestDeletionDeadline,
  dishonestListingEndsAt,
  maxTermDays,
  relistingBarredUntil,
  TERM_RULE_SETS,
  termRulesAt,
} from './rules.ts';

const at = (iso: string) => new Date(iso);

describe('maximum terms', () => {
  it('are 1 year for deposits, 2 for movables, 3 for real estate and other rights since 2015 (art. 487)', () => {
    expect(ASSET_KINDS.map((k) => maxTermDays(CURRENT_TERM_RULES, k))).toEqual([365, 730, 1095, 1095]);
    expect(CURRENT_TERM_RULES.id).toBe('terms-2015');
    expect(CURRENT_TERM_RULES.source).toContain('法释〔2015〕5号');
  });

  it('keep the superseded 2004 figures as an older version with an end date', () => {
    const old = TERM_RULE_SETS.find((s) => s.id === 'terms-2004')!;
    expect(old.effectiveTo).toBe('2015-02-04');
    expect(maxTermDays(old, 'deposit')).toBeLessThan(maxTermDays(CURRENT_TERM_RULES, 'deposit'));
    expect(maxTermDays(old, 'movable')).toBe(365);
    expect(maxTermDays(old, 'real-estate')).toBe(730);
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

  it('has no rules before 2005', () => {
    expect(() => termRulesAt('2004-12-31')).toThrow(RangeError);
  });

  it('versions do not overlap and leave no gap', () => {
    const sorted = [...TERM_RULE_SETS].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1]!.effectiveTo).toBe(sorted[i]!.effectiveFrom);
    expect(sorted.at(-1)!.effectiveTo).toBeUndefined();
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
