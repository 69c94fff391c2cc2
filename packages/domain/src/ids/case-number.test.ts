import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseNoArb, courtCodeArb, currentCaseNoArb } from '../test-support/arbitraries.ts';
import { canonicalCaseNo, caseNoBelongsTo, formatCaseNo, parseCaseNo } from './case-number.ts';

describe('parseCaseNo', () => {
  it.each([
    ['(2016)苏执异4号', { year: 2016, court: '苏', caseType: '执异', seq: 4, seqText: '4', legacy: false }],
    [
      '(2024)川0104执1234号',
      { year: 2024, court: '川0104', caseType: '执', seq: 1234, seqText: '1234', legacy: false },
    ],
    [
      '(2021)京01执恢55号',
      { year: 2021, court: '京01', caseType: '执恢', seq: 55, seqText: '55', legacy: false },
    ],
    [
      '(2019)最高法执监123号',
      { year: 2019, court: '最高法', caseType: '执监', seq: 123, seqText: '123', legacy: false },
    ],
    [
      '(2020)兵0101执保7号',
      { year: 2020, court: '兵0101', caseType: '执保', seq: 7, seqText: '7', legacy: false },
    ],
    [
      '(2015)苏执复字第00033号',
      { year: 2015, court: '苏', caseType: '执复', seq: 33, seqText: '00033', legacy: true },
    ],
    [
      '(2014)浙杭执字第123号',
      { year: 2014, court: '浙杭', caseType: '执', seq: 123, seqText: '123', legacy: true },
    ],
    [
      '(2013)京二中执异字第00012号',
      { year: 2013, court: '京二中', caseType: '执异', seq: 12, seqText: '00012', legacy: true },
    ],
  ])('parses %s', (text, expected) => {
    expect(parseCaseNo(text)).toEqual(expected);
  });

  it('accepts full-width parentheses and surrounding spaces but formats with ASCII ones', () => {
    const parsed = parseCaseNo(' （2024）川0104执1234号 ');
    expect(parsed).not.toBeNull();
    expect(formatCaseNo(parsed!)).toBe('(2024)川0104执1234号');
  });

  it.each([
    '',
    '2024川0104执1234号', // no year parentheses
    '(24)川0104执1234号', // two-digit year
    '(2024)川0104执1234', // no 号
    '(2024)川0104民初1234号', // not an enforcement case
    '(2024)XX0104执1234号', // not a province
    '(2024)川0104执0号', // sequence 0
    '(2024)川01040执1234号', // court code too long
    '(1900)川0104执1234号', // before 1949
    '(2015)苏执复字00033号', // legacy without 第
    '(2010)川0104执1234号', // the current form before 法〔2015〕137号 took effect
    '(2015)川0104执1234号',
    '(2016)苏执复字第00033号', // the 字第 form after it
    '(2020)浙杭执字第123号',
    '(2024)川010执1234号', // 3 digits: no court level has them
    '(2024)川00执1234号', // courts are numbered from 01
    '(2024)川0100执1234号',
    '(2024)川0104执1234号-协01', // a notice number, not a case number
  ])('rejects %s', (text) => {
    expect(parseCaseNo(text)).toBeNull();
  });

  it('round-trips the zero padding of legacy numbers', () => {
    expect(formatCaseNo(parseCaseNo('(2015)苏执复字第00033号')!)).toBe('(2015)苏执复字第00033号');
  });

  it('parse ∘ format is the identity on generated case numbers', () => {
    fc.assert(
      fc.property(caseNoArb, (c) => {
        expect(parseCaseNo(formatCaseNo(c))).toEqual(c);
      }),
    );
  });

  it('format ∘ parse is the identity on generated ASCII case-number text', () => {
    fc.assert(
      fc.property(caseNoArb, (c) => {
        const text = formatCaseNo(c);
        expect(formatCaseNo(parseCaseNo(text)!)).toBe(text);
      }),
    );
  });
});

describe('caseNoBelongsTo', () => {
  it.each([
    ['(2026)川0104执1234号', '川0104', true],
    ['(2026)川0105执7777号', '川0104', false], // another basic court's number
    ['(2026)川01执7777号', '川0104', false], // its intermediate court's
    ['(2026)最高法执监1号', '最高法', true],
    ['(2015)川执复字第00033号', '川0104', true], // pre-2016: only the province can be compared
    ['(2015)苏执复字第00033号', '川0104', false],
    ['(2014)最高法执监字第1号', '最高法', true],
    ['(2014)最高法执监字第1号', '京', false],
    ['(2014)京二中执字第12号', '最高法', false],
    ['(2014)锦江执字第12号', '川0104', true], // a county abbreviation: cannot be told apart
  ])('%s belongs to %s: %s', (caseNo, court, expected) => {
    expect(caseNoBelongsTo(parseCaseNo(caseNo)!, court)).toBe(expected);
  });

  it('a current-form number belongs to exactly the court whose code it carries', () => {
    fc.assert(
      fc.property(currentCaseNoArb, courtCodeArb, (c, court) => {
        expect(caseNoBelongsTo(c, court)).toBe(c.court === court);
      }),
    );
  });
});

describe('the form follows the year (法〔2015〕137号, in force 2016-01-01)', () => {
  it('every parsed number is current-form from 2016 and 字第 before', () => {
    fc.assert(
      fc.property(caseNoArb, fc.integer({ min: 1949, max: 2100 }), (c, year) => {
        const parsed = parseCaseNo(formatCaseNo({ ...c, year }));
        if (parsed) expect(parsed.legacy).toBe(year < 2016);
        else expect(c.legacy).toBe(year >= 2016);
      }),
    );
  });
});

describe('canonicalCaseNo: one spelling per case', () => {
  /** The ways a clerk writes one case number: full-width brackets, a zero-padded sequence, spaces around it. */
  const respelled = (s: string, wide: boolean, pad: number, space: boolean) => {
    let t = wide ? s.replace('(', '（').replace(')', '）') : s;
    t = t.replace(/(\d+)号$/, (_, d: string) => `${'0'.repeat(pad)}${d}号`);
    return space ? ` ${t}\t` : t;
  };

  it('gives every spelling of a case number the same one, itself a fixed point', () => {
    fc.assert(
      fc.property(
        caseNoArb,
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (c, wide, pad, space) => {
          const s = formatCaseNo(c);
          const variant = respelled(s, wide, pad, space);
          if (!parseCaseNo(variant)) return; // padding beyond 8 digits is no case number
          const canonical = canonicalCaseNo(s)!;
          expect(canonicalCaseNo(variant)).toBe(canonical);
          expect(canonicalCaseNo(canonical)).toBe(canonical);
          expect(canonical).toMatch(/^\(\d{4}\)\S+号$/);
          expect(canonical).not.toMatch(/[（）]|[执第]0/);
        },
      ),
    );
  });

  it('keeps different cases apart and refuses what is no case number', () => {
    expect(canonicalCaseNo('（2026）川0104执0207980号')).toBe('(2026)川0104执207980号');
    expect(canonicalCaseNo('(2026)川0104执207981号')).not.toBe(canonicalCaseNo('(2026)川0104执207980号'));
    expect(canonicalCaseNo('(2015)苏执复字第00033号')).toBe('(2015)苏执复字第33号');
    expect(canonicalCaseNo('2026川0104执1号')).toBeNull();
  });
});
