import fc from 'fast-check';
// @ts-expect-error pg's own value preparation has no type declarations; it is the reference here
import pgUtils from 'pg/lib/utils.js';
import { describe, expect, it } from 'vitest';
import { arrayLiteral, withArrayLiterals } from './array-literal.js';

const prepareValue = (pgUtils as { prepareValue: (v: unknown) => unknown }).prepareValue;

describe('array parameters as literals', () => {
  const element = fc.oneof(
    fc.string(),
    fc.string({ unit: fc.constantFrom('\\', '"', ',', '{', '}', ' ', 'a', '执', "'", 'N') }),
    fc.uuid(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.date(),
    fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)),
  );

  it('writes exactly what pg writes for flat arrays of strings, numbers, booleans, dates, buffers and nulls', () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 20 }), (values) => {
        expect(arrayLiteral(values)).toBe(prepareValue(values));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves nested arrays and objects to pg', () => {
    for (const odd of [['a'], { a: 1 }, new Uint16Array(2)]) {
      expect(arrayLiteral(['a', odd])).toBeUndefined();
    }
    const values = [['a', ['b']], ['b"c', null], 'plain', 7];
    const mapped = withArrayLiterals(values);
    expect(mapped).toEqual([values[0], '{"b\\"c",NULL}', 'plain', 7]);
    expect(values[1]).toEqual(['b"c', null]); // the caller's values are not changed
    expect(withArrayLiterals(['x', 1])).toEqual(['x', 1]);
  });
});
