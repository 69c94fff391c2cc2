import { creditCodeCheckChar, residentIdCheckChar } from '@hub/domain';
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

  it('accepts a credit code, including one failing the GB 32100 check (early pilots), but not a malformed one', () => {
    const first17 = '91510100MA6CGUQ23';
    const good = first17 + creditCodeCheckChar(first17);
    expect(parseSubjectId(good)).toEqual({ ok: true, id: good });
    expect(parseSubjectId(good.toLowerCase())).toEqual({ ok: true, id: good });
    const other = first17 + (good[17] === '0' ? '1' : '0');
    expect(parseSubjectId(other)).toEqual({ ok: true, id: other });
    expect(parseSubjectId('91510100MA6CGUQ2OI')).toEqual({ ok: false, code: 'INVALID_ID' });
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
