import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { courtCodeArb } from '../test-support/arbitraries.ts';
import { courtLevel, isCourtCode } from './court-code.ts';

describe('isCourtCode (法〔2015〕137号 分级代字)', () => {
  it.each([
    ['最高法', 'supreme'],
    ['川', 'high'],
    ['川01', 'intermediate'],
    ['京73', 'intermediate'], // 北京知识产权法院
    ['川0104', 'basic'],
    ['川7101', 'basic'], // 成都铁路运输法院
    ['兵0101', 'basic'],
  ])('%s is a %s court', (code, level) => {
    expect(isCourtCode(code)).toBe(true);
    expect(courtLevel(code)).toBe(level);
  });

  it.each([
    '',
    'C001',
    '川1',
    '川010',
    '川01041',
    '川00',
    '川0100',
    'XX0104',
    '最高',
    '最高法01',
    ' 川0104',
    '川０１',
  ])('refuses %j', (code) => {
    expect(isCourtCode(code)).toBe(false);
    expect(courtLevel(code)).toBeNull();
  });

  it('accepts every generated court code', () => {
    fc.assert(
      fc.property(courtCodeArb, (code) => {
        expect(isCourtCode(code)).toBe(true);
      }),
    );
  });
});
