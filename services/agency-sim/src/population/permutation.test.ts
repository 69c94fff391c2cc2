import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { permute, unpermute } from './permutation.js';

describe('keyed permutation', () => {
  it('is inverted by unpermute for any key, size and index', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 2, max: 2 ** 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (key, size, f) => {
          const x = Math.min(size - 1, Math.floor(f * size));
          const y = permute(key, size, x);
          expect(y).toBeGreaterThanOrEqual(0);
          expect(y).toBeLessThan(size);
          expect(unpermute(key, size, y)).toBe(x);
        },
      ),
    );
  });

  it('is a bijection on a small domain', () => {
    for (const size of [2, 3, 17, 1000, 4097]) {
      const images = new Set(Array.from({ length: size }, (_, x) => permute(99, size, x)));
      expect(images.size).toBe(size);
    }
  });

  it('rejects indices outside the domain', () => {
    expect(() => permute(1, 10, 10)).toThrow(RangeError);
    expect(() => unpermute(1, 10, -1)).toThrow(RangeError);
    expect(() => permute(1, 2 ** 31, 0)).toThrow(RangeError);
  });
});
