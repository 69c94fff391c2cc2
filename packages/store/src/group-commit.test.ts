import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

class Refused extends Error {}
class Unavailable extends Error {}

/** A group run that doubles numbers, refuses negative ones (the whole group), and records each group. */
function doubler(groups: number[][], unavailable = false) {
  return new GroupCommit<number, number>(
    async (items) => {
      groups.push([...items]);
      await new Promise((r) => setTimeout(r, 1));
      if (unavailable) throw new Unavailable('down');
      if (items.some((i) => i < 0)) throw new Refused(`refused ${items.join(',')}`);
      return items.map((i) => i * 2);
    },
    { isolate: (err) => err instanceof Refused },
  );
}

describe('GroupCommit', () => {
  it('runs the calls of one turn as one group, and those made meanwhile as the next', async () => {
    const groups: number[][] = [];
    const g = doubler(groups);
    const first = [1, 2, 3].map((i) => g.submit(i));
    // Made while the first group is in flight: they wait for it, then go together.
    await new Promise((r) => setImmediate(r));
    const second = [4, 5].map((i) => g.submit(i));
    expect(await Promise.all([...first, ...second])).toEqual([2, 4, 6, 8, 10]);
    expect(groups).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('a call alone waits for nobody', async () => {
    const groups: number[][] = [];
    const g = doubler(groups);
    expect(await g.submit(7)).toBe(14);
    expect(await g.submit(8)).toBe(16);
    expect(groups).toEqual([[7], [8]]);
  });

  it("one call's refused data fails that call alone; the others get their results", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -3, max: 20 }), { minLength: 1, maxLength: 12 }),
        async (xs) => {
          const g = doubler([]);
          const settled = await Promise.allSettled(xs.map((x) => g.submit(x)));
          settled.forEach((s, i) => {
            if (xs[i]! < 0) expect(s.status).toBe('rejected');
            else expect(s).toEqual({ status: 'fulfilled', value: xs[i]! * 2 });
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a group carries at most maxWeight rows, and a call heavier than that goes alone', async () => {
    const groups: number[][] = [];
    const g = new GroupCommit<number, number>(
      async (items) => {
        groups.push([...items]);
        return items.map((i) => i);
      },
      { isolate: () => false, weight: (i) => i, maxWeight: 10 },
    );
    expect(await Promise.all([4, 5, 2, 12, 3, 3].map((i) => g.submit(i)))).toEqual([4, 5, 2, 12, 3, 3]);
    expect(groups).toEqual([[4, 5], [2], [12], [3, 3]]);
  });

  it('a failure not isolated (the database unavailable) fails every call of the group, once', async () => {
    const groups: number[][] = [];
    const g = doubler(groups, true);
    const settled = await Promise.allSettled([1, 2, 3].map((i) => g.submit(i)));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(groups).toEqual([[1, 2, 3]]);
  });
});
