/**
 * Deterministic randomness for the synthetic population: a string/number hash and a small seeded PRNG.
 * Nothing here reads the clock or Math.random, so the same seed always yields the same population.
 */

/** Integer finaliser (lowbias32): spreads every input bit over the output. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the UTF-16 code units of the parts (joined by `|`), then finalised. */
export function hash32(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  const text = parts.join('|');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** A seeded stream of numbers (mulberry32) with the draws the generators need. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A stream named by its parts: `Rng.of(seed, 'bank', 'ICBC', subjectId)`. */
  static of(...parts: readonly (string | number)[]): Rng {
    return new Rng(hash32(...parts));
  }

  /** Uniform in [0, 1). */
  float(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** `n` decimal digits as a string (leading zeros kept). */
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }

  /** Log-uniform integer in [lo, hi): as many values per decade, so most draws are small. */
  logUniform(lo: number, hi: number): number {
    return Math.floor(lo * (hi / lo) ** this.float());
  }

  /**
   * A Pareto-ish count: floor(U^(-1/alpha)) - 1, capped. With alpha 1.5 about 65% draw 0, 13% draw 3 or
   * more, 4% draw 8 or more — most hold nothing, a few hold many.
   */
  paretoCount(alpha: number, cap: number): number {
    const u = 1 - this.float(); // (0, 1]
    return Math.min(cap, Math.floor(u ** (-1 / alpha)) - 1);
  }

  /** Picks by weight: `weighted([['a', 3], ['b', 1]])` draws 'a' three times as often. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.float() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }
}
