import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addFen, formatYuan, parseYuan, subFen, sumFen, tryParseYuan } from './money.ts';

const MAX = Number.MAX_SAFE_INTEGER;
const fenArb = fc.integer({ min: -MAX, max: MAX });

describe('parseYuan', () => {
  it.each([
    ['1234.56', 123456],
    ['1,234.56', 123456],
    ['1234', 123400],
    ['1234.5', 123450],
    ['0.01', 1],
    ['0.1', 10],
    ['-0.5', -50],
    ['-1,000,000.00', -100000000],
    ['-0.00', 0],
    ['90071992547409.91', MAX],
  ])('%s yuan is %d fen', (text, fen) => {
    expect(parseYuan(text)).toBe(fen);
  });

  it.each([
    '',
    'abc',
    '1.234',
    '.5',
    '5.',
    '1e3',
    '1,23.00',
    '12,3456',
    '+1',
    '--1',
    '１２３',
    '0x10',
    '90071992547409.92',
  ])('rejects %j', (text) => {
    expect(() => parseYuan(text)).toThrow(RangeError);
    expect(tryParseYuan(text)).toBeNull();
  });

  it('adds decimal yuan exactly where floats would not', () => {
    expect(addFen(parseYuan('0.1'), parseYuan('0.2'))).toBe(parseYuan('0.3'));
  });
});

describe('formatYuan', () => {
  it.each([
    [123456, '1,234.56'],
    [-123456, '-1,234.56'],
    [0, '0.00'],
    [5, '0.05'],
    [-5, '-0.05'],
    [100, '1.00'],
    [100000000, '1,000,000.00'],
    [MAX, '90,071,992,547,409.91'],
  ])('%d fen is %s', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });

  it('refuses non-integers', () => {
    expect(() => formatYuan(1.5)).toThrow(RangeError);
    expect(() => formatYuan(Number.NaN)).toThrow(RangeError);
  });
});

describe('fen arithmetic', () => {
  it('throws instead of computing with fractions or past the safe range', () => {
    expect(() => addFen(0.1, 1)).toThrow(RangeError);
    expect(() => addFen(MAX, 1)).toThrow(RangeError);
    expect(() => subFen(-MAX, 2)).toThrow(RangeError);
    expect(() => sumFen([MAX, MAX, -MAX])).toThrow(RangeError);
  });

  it('sums an empty list to 0', () => {
    expect(sumFen([])).toBe(0);
  });
});

describe('money never loses a fen', () => {
  it('parseYuan ∘ formatYuan is the identity', () => {
    fc.assert(
      fc.property(fenArb, (fen) => {
        expect(parseYuan(formatYuan(fen))).toBe(fen);
      }),
    );
  });

  it('formatYuan ∘ parseYuan is the identity on canonical text', () => {
    fc.assert(
      fc.property(fenArb, (fen) => {
        const text = formatYuan(fen);
        expect(formatYuan(parseYuan(text))).toBe(text);
        expect(formatYuan(parseYuan(text.replaceAll(',', '')))).toBe(text);
      }),
    );
  });

  it('sums are exact (checked against BigInt)', () => {
    const amounts = fc.array(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), { maxLength: 200 });
    fc.assert(
      fc.property(amounts, (list) => {
        const exact = list.reduce((acc, n) => acc + BigInt(n), 0n);
        expect(BigInt(sumFen(list))).toBe(exact);
      }),
    );
  });

  it('subtracting what was added gives back the start', () => {
    const half = fc.integer({ min: -(2 ** 51), max: 2 ** 51 });
    fc.assert(
      fc.property(half, half, (a, b) => {
        expect(subFen(addFen(a, b), b)).toBe(a);
      }),
    );
  });

  it('a sum either is exact or throws, never rounds', () => {
    fc.assert(
      fc.property(fenArb, fenArb, (a, b) => {
        const exact = BigInt(a) + BigInt(b);
        if (exact > BigInt(MAX) || exact < BigInt(-MAX)) expect(() => addFen(a, b)).toThrow(RangeError);
        else expect(BigInt(addFen(a, b))).toBe(exact);
      }),
    );
  });
});
