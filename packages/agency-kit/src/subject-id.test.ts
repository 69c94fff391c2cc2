import { checkCreditCode, creditCodeCheckChar, residentIdCheckChar } from '@hub/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSubjectId } from './subject-id.js';

const residentId = fc
  .tuple(
    fc.integer({ min: 1950, max: 2005 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
  )
  .chain(([y, m, d]) =>
    fc.integer({ min: 0, max: 999 }).map((seq) => {
      const first17 = `510104${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
      return first17 + residentIdCheckChar(first17);
    }),
  );

describe('parseSubjectId', () => {
  it('accepts every valid resident ID as it is, and a lower-case x as X', () => {
    fc.assert(
      fc.property(residentId, (id) => {
        expect(parseSubjectId(id)).toEqual({ ok: true, id });
        expect(parseSubjectId(id.toLowerCase())).toEqual({ ok: true, id });
      }),
    );
  });

  it('turns a 15-digit ID into its 18-digit form', () => {
    const first17 = '11010519660101123';
    expect(parseSubjectId('110105660101123')).toEqual({
      ok: true,
      id: first17 + residentIdCheckChar(first17),
    });
  });

  it('refuses a resident ID whose check character is wrong', () => {
    fc.assert(
      fc.property(residentId, fc.integer({ min: 1, max: 10 }), (id, shift) => {
        const chars = '0123456789X';
        const wrong = chars[(chars.indexOf(id[17]!) + shift) % 11]!;
        expect(parseSubjectId(id.slice(0, 17) + wrong)).toEqual({ ok: false, code: 'INVALID_RESIDENT_ID' });
      }),
    );
  });

  it("refuses a mistyped resident ID that also has a credit code's parts, rather than reading it as one", () => {
    // 511302 (南充 顺庆区): "51" reads as authority 5, type 1 and "1302…" as a division, so every typo of
    // such an ID was taken for a credit code failing its check, and answered "not restricted".
    expect(parseSubjectId('511302198507071235')).toEqual({ ok: true, id: '511302198507071235' });
    for (const typo of ['511302198507071230', '511302198507081235']) {
      const r = parseSubjectId(typo);
      expect(r.ok ? r.unverified : r.code).toBe(r.ok ? true : 'INVALID_RESIDENT_ID');
    }
    const regions = ['511302', '321102', '331102', '341102', '411102', '130102', '620102', '110105'];
    const id = fc
      .tuple(
        fc.constantFrom(...regions),
        fc.integer({ min: 1950, max: 2005 }),
        fc.integer({ min: 1, max: 12 }),
      )
      .chain(([region, y, m]) =>
        fc.tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 999 })).map(([d, seq]) => {
          const first17 = `${region}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
          return first17 + residentIdCheckChar(first17);
        }),
      );
    fc.assert(
      fc.property(id, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 9 }), (good, at, shift) => {
        // One character typed wrong (GB 11643's MOD 11-2 catches every such typo of a resident ID).
        const chars = at === 17 ? '0123456789X' : '0123456789';
        const typo =
          good.slice(0, at) + chars[(chars.indexOf(good[at]!) + shift) % chars.length] + good.slice(at + 1);
        const r = parseSubjectId(typo);
        // Refused; or, when it also has a credit code's parts, unverified (answered only for a subject the hub
        // holds); taken as a plain credit code only when its own check character holds (about 1 in 31 by chance).
        if (!r.ok) expect(r.code).toBe('INVALID_RESIDENT_ID');
        else if (r.unverified) expect(checkCreditCode(r.id)).toBe('check-failed');
        else expect(checkCreditCode(r.id)).toBe('valid');
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts a credit code, including one failing the GB 32100 check (early pilots), but not a malformed one', () => {
    const first17 = '91510100MA6CGUQ23';
    const good = first17 + creditCodeCheckChar(first17);
    expect(parseSubjectId(good)).toEqual({ ok: true, id: good });
    expect(parseSubjectId(good.toLowerCase())).toEqual({ ok: true, id: good });
    const other = first17 + (good[17] === '0' ? '1' : '0');
    expect(parseSubjectId(other)).toEqual({ ok: true, id: other });
    expect(parseSubjectId('91510100MA6CGUQ2OI')).toEqual({ ok: false, code: 'INVALID_ID' });
    // Digits only: a credit code whose check holds is one; failing it, it may be a mistyped resident ID, so it is
    // unverified (the routes answer it only for a subject the hub holds: a pilot code a court listed).
    const digits17 = '91110000100000001';
    const digits = digits17 + creditCodeCheckChar(digits17);
    expect(parseSubjectId(digits)).toEqual({ ok: true, id: digits });
    const digitsWrong = digits17 + (digits[17] === '0' ? '1' : '0');
    expect(parseSubjectId(digitsWrong)).toEqual({ ok: true, id: digitsWrong, unverified: true });
    // With letters it cannot be a resident ID: a check-failed code is a plain one.
    expect(parseSubjectId(other)).not.toHaveProperty('unverified');
  });

  it('never throws, and answers ok only with an 18-character ID', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything()), (v) => {
        const r = parseSubjectId(v);
        if (r.ok) expect(r.id).toHaveLength(18);
      }),
    );
  });
});
