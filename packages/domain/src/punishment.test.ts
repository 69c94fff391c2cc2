import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DISHONEST_GROUND_CODES,
  DISHONEST_GROUNDS,
  dishonestListingTerm,
  EXIT_RESTRICTION_OF_ORGANISATION,
  organisationBindsItself,
  RELISTING_BAR,
  REMOVAL_REASON_CODES,
  RESPONSIBLE_ROLES,
  relistingBarEnds,
} from './punishment.ts';
import { dishonestDeletionDeadline } from './rules.ts';

const at = (iso: string) => new Date(iso);
const LISTED = at('2026-03-15T10:00:00+08:00');

describe('dishonestListingTerm (法释〔2017〕7号 art. 2)', () => {
  it('ground (1) alone has no fixed term: it stands until the debtor performs', () => {
    expect(dishonestListingTerm(['able-but-refuses'], LISTED)).toEqual({ ok: true, endsAt: null });
  });

  it.each(DISHONEST_GROUND_CODES.filter((g) => DISHONEST_GROUNDS[g].fixedTerm))(
    'ground %s lists for 2 years',
    (g) => {
      expect(dishonestListingTerm([g], LISTED)).toEqual({
        ok: true,
        endsAt: at('2028-03-15T10:00:00+08:00'),
      });
    },
  );

  it('a fixed-term ground beside ground (1) fixes the term', () => {
    expect(dishonestListingTerm(['able-but-refuses', 'evades-enforcement'], LISTED)).toEqual({
      ok: true,
      endsAt: at('2028-03-15T10:00:00+08:00'),
    });
  });

  it('extends by 1–3 years for the aggravated ground or several grounds only; 5 years at most', () => {
    expect(dishonestListingTerm(['obstructs-enforcement'], LISTED, 3)).toEqual({
      ok: true,
      endsAt: at('2031-03-15T10:00:00+08:00'),
    });
    expect(dishonestListingTerm(['evades-enforcement', 'breaches-settlement'], LISTED, 1)).toEqual({
      ok: true,
      endsAt: at('2029-03-15T10:00:00+08:00'),
    });
    expect(dishonestListingTerm(['evades-enforcement'], LISTED, 1)).toEqual({
      ok: false,
      code: 'EXTENSION_NOT_ALLOWED',
    });
    expect(dishonestListingTerm(['able-but-refuses'], LISTED, 1)).toEqual({
      ok: false,
      code: 'EXTENSION_NOT_ALLOWED',
    });
    expect(dishonestListingTerm(['obstructs-enforcement'], LISTED, 4)).toEqual({
      ok: false,
      code: 'EXTENSION_EXCEEDS_RULES',
    });
    expect(dishonestListingTerm(['obstructs-enforcement'], LISTED, 1.5)).toEqual({
      ok: false,
      code: 'EXTENSION_EXCEEDS_RULES',
    });
  });

  it('never ends before 2 years nor after 5 (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...DISHONEST_GROUND_CODES), { minLength: 1 }),
        fc.integer({ min: 0, max: 5 }),
        fc.date({ min: at('2024-01-01T00:00:00Z'), max: at('2030-12-31T00:00:00Z'), noInvalidDate: true }),
        (grounds, ext, listedAt) => {
          const term = dishonestListingTerm(grounds, listedAt, ext);
          if (!term.ok || term.endsAt === null) return;
          const years = (term.endsAt.getTime() - listedAt.getTime()) / (365.25 * 86_400_000);
          expect(years).toBeGreaterThan(1.99);
          expect(years).toBeLessThan(5.01);
        },
      ),
    );
  });
});

describe('relistingBarEnds (art. 10 第四款)', () => {
  it('bars for 6 months after a deletion at the applicant’s request, to the same time of day', () => {
    expect(relistingBarEnds('applicant-request', at('2026-08-31T09:00:00+08:00'))).toEqual(
      at('2027-02-28T09:00:00+08:00'),
    );
    expect(RELISTING_BAR.source).toContain('第十条第四款');
  });

  it.each(REMOVAL_REASON_CODES.filter((r) => r !== 'applicant-request'))('no bar after %s', (r) => {
    expect(relistingBarEnds(r, LISTED)).toBeNull();
  });
});

describe('deletion across a holiday (art. 10: 3 working days)', () => {
  it('a ground arising the day before National Day week is due after it and its make-up Saturday', () => {
    // 10/1–10/7 off; 10/8, 10/9 working; 10/10 a make-up Saturday.
    expect(dishonestDeletionDeadline(at('2026-09-30T10:00:00+08:00'))).toEqual(
      at('2026-10-10T23:59:59.999+08:00'),
    );
  });
});

describe('exit restriction of an organisation (民事诉讼法 第二百六十六条)', () => {
  it('binds the legal representative, principal and directly responsible persons, never the organisation itself', () => {
    expect([...EXIT_RESTRICTION_OF_ORGANISATION.binds].sort()).toEqual(
      ['legal-representative', ...RESPONSIBLE_ROLES.filter((r) => r !== 'actual-controller')].sort(),
    );
    expect(EXIT_RESTRICTION_OF_ORGANISATION.binds).not.toContain('debtor');
    expect(organisationBindsItself('restrict-exit')).toBe(false);
    expect(organisationBindsItself('restrict-consumption')).toBe(true);
    expect(organisationBindsItself('dishonest-list')).toBe(true);
  });

  it('states its source', () => {
    expect(EXIT_RESTRICTION_OF_ORGANISATION.source).toMatch(/民事诉讼法》第二百六十六条/);
    expect(EXIT_RESTRICTION_OF_ORGANISATION.source).toMatch(/法定代表人、主要负责人/);
  });
});
